using System.Buffers;
using Oxidation.Languages;
using Oxidation.Rust;

namespace Oxidation.Counting;

/// <summary>
/// Splits a file's lines into code, comment and blank, following cloc 1.96's conventions
/// (docs/counting.md states where and why it differs). A pure function over bytes: no file system,
/// no allocation per line, safe on any input.
/// </summary>
public static class LineCounter
{
    /// <summary>White space as Perl's <c>\s</c> sees it, less the newline that ends lines.</summary>
    internal static readonly SearchValues<byte> Whitespace = SearchValues.Create(" \t\r\f\v"u8);

    /// <summary>Counts the lines of <paramref name="text"/> as source in <paramref name="language"/>.</summary>
    public static LineStats Count(ReadOnlySpan<byte> text, Language language)
    {
        if (language.Lexer == "rust")
            return RustLexer.CountLines(text);
        if (language.IsOther)
            return CountPlain(text);
        return CountTable(text, language);
    }

    /// <summary>Lines of a file in no known language: non-blank lines count as code.</summary>
    private static LineStats CountPlain(ReadOnlySpan<byte> text)
    {
        long code = 0, blank = 0;
        foreach (var line in Lines(text))
        {
            if (line.IndexOfAnyExcept(Whitespace) < 0)
                blank++;
            else
                code++;
        }
        return new LineStats(code, 0, blank);
    }

    /// <summary>Enumerates the lines of a text without their newline; a last line without one counts.</summary>
    internal static LineEnumerator Lines(ReadOnlySpan<byte> text) => new(text);

    private static LineStats CountTable(ReadOnlySpan<byte> text, Language language)
    {
        var tables = CounterTables.For(language);
        long code = 0, comment = 0, blank = 0;
        var inBlock = -1;          // index of the open block comment, or -1
        byte quote = 0;            // the open string delimiter, or 0
        var previousEndsInBackslash = false;

        foreach (var line in Lines(text))
        {
            var first = line.IndexOfAnyExcept(Whitespace);
            if (first < 0)
            {
                // cloc keeps a blank line that follows a continued line (remove_matches_2re).
                if (language.EolContinuation && previousEndsInBackslash)
                    code++;
                else
                    blank++;
                quote = 0;
                previousEndsInBackslash = false;
                continue;
            }

            var endsInBackslash = line[^1] == (byte)'\\';
            if (inBlock < 0 && quote == 0 && IsWholeLineComment(line, first, language))
            {
                comment++;
                previousEndsInBackslash = endsInBackslash;
                continue;
            }

            bool hasCode = false, hasComment = false;
            var i = first;
            while (i < line.Length)
            {
                var rest = line[i..];
                if (inBlock >= 0)
                {
                    var close = language.BlockComments[inBlock].Close;
                    var k = rest.IndexOf(close);
                    hasComment = true;
                    if (k < 0)
                        break;
                    i += k + close.Length;
                    inBlock = -1;
                    continue;
                }
                if (quote != 0)
                {
                    hasCode = true;
                    var k = rest.IndexOfAny(quote, (byte)'\\');
                    if (k < 0)
                        break;
                    if (rest[k] == (byte)'\\')
                    {
                        i += k + 2;
                        continue;
                    }
                    i += k + 1;
                    quote = 0;
                    continue;
                }
                var next = rest.IndexOfAny(tables.Interesting);
                if (next < 0)
                {
                    hasCode |= rest.IndexOfAnyExcept(Whitespace) >= 0;
                    break;
                }
                if (next > 0 && rest[..next].IndexOfAnyExcept(Whitespace) >= 0)
                    hasCode = true;
                var at = rest[next..];
                if (StartsWithAny(at, language.LineComments))
                {
                    hasComment = true;
                    break;
                }
                var block = BlockOpening(at, language);
                if (block >= 0)
                {
                    inBlock = block;
                    hasComment = true;
                    i += next + language.BlockComments[block].Open.Length;
                    continue;
                }
                hasCode = true;
                if (tables.IsQuote(at[0]))
                    quote = at[0];
                i += next + 1;
            }

            // A string left open at the end of a line ends there unless the line is continued;
            // this keeps an apostrophe in prose (#error don't ...) from swallowing the file.
            if (quote != 0 && !endsInBackslash)
                quote = 0;
            if (hasCode)
                code++;
            else if (hasComment)
                comment++;
            else
                blank++;
            previousEndsInBackslash = endsInBackslash;
        }
        return new LineStats(code, comment, blank);
    }

    private static bool IsWholeLineComment(ReadOnlySpan<byte> line, int first, Language language)
    {
        var rest = line[first..];
        return StartsWithAny(rest, language.LineStartComments)
            || StartsWithAny(rest, language.AfterLineStartComments)
            || StartsWithAny(line, language.Column0Comments);
    }

    private static int BlockOpening(ReadOnlySpan<byte> at, Language language)
    {
        for (var b = 0; b < language.BlockComments.Count; b++)
        {
            if (at.StartsWith(language.BlockComments[b].Open))
                return b;
        }
        return -1;
    }

    private static bool StartsWithAny(ReadOnlySpan<byte> text, IReadOnlyList<byte[]> markers)
    {
        foreach (var marker in markers)
        {
            if (text.StartsWith(marker))
                return true;
        }
        return false;
    }

    /// <summary>Per-language lookup tables, built once per language.</summary>
    private sealed class CounterTables
    {
        private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Language, CounterTables> Cache = [];
        private readonly bool[] _quotes = new bool[256];

        private CounterTables(Language language)
        {
            var bytes = new HashSet<byte>();
            foreach (var marker in language.LineComments)
                bytes.Add(marker[0]);
            foreach (var (open, _) in language.BlockComments)
                bytes.Add(open[0]);
            foreach (var q in language.Quotes)
            {
                bytes.Add(q);
                _quotes[q] = true;
            }
            Interesting = SearchValues.Create([.. bytes]);
        }

        public SearchValues<byte> Interesting { get; }

        public bool IsQuote(byte b) => _quotes[b];

        public static CounterTables For(Language language) => Cache.GetValue(language, l => new CounterTables(l));
    }
}

/// <summary>Enumerates lines of UTF-8 text without allocating.</summary>
internal ref struct LineEnumerator
{
    private ReadOnlySpan<byte> _rest;
    private bool _done;

    public LineEnumerator(ReadOnlySpan<byte> text)
    {
        _rest = text;
        _done = text.IsEmpty;
        Current = default;
    }

    public ReadOnlySpan<byte> Current { get; private set; }

    public readonly LineEnumerator GetEnumerator() => this;

    public bool MoveNext()
    {
        if (_done)
            return false;
        var newline = _rest.IndexOf((byte)'\n');
        if (newline < 0)
        {
            Current = _rest;
            _done = true;
            return true;
        }
        Current = _rest[..newline];
        _rest = _rest[(newline + 1)..];
        if (_rest.IsEmpty)
            _done = true;
        return true;
    }
}
