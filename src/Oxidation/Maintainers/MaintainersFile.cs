using System.Text;
using System.Text.RegularExpressions;

namespace Oxidation.Maintainers;

/// <summary>One section of MAINTAINERS: its title and the M:, R:, L:, S:, F:, X:, N: lines.</summary>
public sealed class MaintainersEntry
{
    /// <summary>The section title, e.g. <c>RUST</c>.</summary>
    public required string Name { get; init; }

    /// <summary>The S: line (Supported, Maintained, Odd Fixes, …).</summary>
    public string? Status { get; set; }

    /// <summary>M: lines.</summary>
    public List<string> Maintainers { get; } = [];

    /// <summary>R: lines.</summary>
    public List<string> Reviewers { get; } = [];

    /// <summary>L: lines.</summary>
    public List<string> Lists { get; } = [];

    internal List<FilePattern> Files { get; } = [];
    internal List<FilePattern> Excludes { get; } = [];
    internal List<NamePattern> Patterns { get; } = [];

    /// <summary>
    /// Whether the entry covers <paramref name="path"/>, as <c>scripts/get_maintainer.pl</c> decides:
    /// an F: pattern ending in <c>/</c> matches everything below it; any other matches as a prefix
    /// with the same number of <c>/</c> (so <c>*</c> stays in one directory); N: is a regex anywhere
    /// in the path; an X: match excludes the entry.
    /// </summary>
    public bool Covers(string path)
    {
        foreach (var exclude in Excludes)
        {
            if (exclude.Matches(path))
                return false;
        }
        foreach (var file in Files)
        {
            if (file.Matches(path))
                return true;
        }
        foreach (var pattern in Patterns)
        {
            if (pattern.IsMatch(path))
                return true;
        }
        return false;
    }
}

/// <summary>
/// An N: regex (get_maintainer.pl matches it with <c>/x</c>, hence the white space option). The backtracking engine
/// builds in microseconds, the linear one in a millisecond or more, and a file may hold thousands of N: lines; so a
/// pattern runs on the backtracking engine under a short timeout and moves to the linear one the first time it
/// times out (a hostile <c>(a+)+$</c>, or a slow moment of the machine): same answer, in time linear in the path.
/// A pattern the linear engine cannot run (look-arounds, back references) then covers nothing.
/// </summary>
internal sealed class NamePattern
{
    private const RegexOptions Options = RegexOptions.IgnorePatternWhitespace | RegexOptions.CultureInvariant;

    private readonly Lock _lock = new();
    private Regex? _regex;

    private NamePattern(Regex regex) => _regex = regex;

    /// <summary>The pattern, or null when .NET cannot compile it (it is then passed over).</summary>
    public static NamePattern? TryParse(string value)
    {
        try
        {
            return new NamePattern(new Regex(value, Options, TimeSpan.FromMilliseconds(20)));
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>Whether the regex matches anywhere in <paramref name="path"/>.</summary>
    public bool IsMatch(string path)
    {
        var regex = Volatile.Read(ref _regex);
        if (regex is null)
            return false;
        try
        {
            return regex.IsMatch(path);
        }
        catch (RegexMatchTimeoutException)
        {
            // The scan matches on several threads: another one may have timed out on this pattern first and moved it.
            return Linear(regex)?.IsMatch(path) ?? false;
        }
    }

    private Regex? Linear(Regex timedOut)
    {
        lock (_lock)
        {
            if (_regex == timedOut)
            {
                try
                {
                    _regex = new Regex(timedOut.ToString(), Options | RegexOptions.NonBacktracking);
                }
                catch (NotSupportedException)
                {
                    _regex = null;
                }
            }
            return _regex;
        }
    }
}

/// <summary>
/// An F: or X: pattern as <c>scripts/get_maintainer.pl</c> reads it: it turns <c>*</c> into <c>.*</c>, <c>?</c> into
/// <c>.</c> and <c>.</c> into <c>\.</c>, so the rest is regex syntax, and the real file uses only classes of it
/// (<c>bcm*.[ch]</c>, <c>da72??.[ch]</c>). Matched here without a regex engine: a glob of literals, <c>?</c>, classes and
/// <c>*</c> (which crosses <c>/</c>, as <c>.*</c> does), tested as a prefix of the path in O(path × pattern) time
/// even for hostile patterns such as <c>*a*a*a…b</c>, which a backtracking regex takes exponential time on.
/// </summary>
internal sealed class FilePattern
{
    private readonly Element[] _elements;

    private FilePattern(string text, bool directory, Element[] elements)
    {
        Text = text;
        Directory = directory;
        _elements = elements;
        Slashes = text.Count(c => c == '/');
        var literal = new StringBuilder();
        foreach (var e in elements)
        {
            if (e.Kind != ElementKind.Literal)
                break;
            literal.Append(e.Char);
        }
        Literal = literal.ToString();
    }

    /// <summary>The pattern as written, with the trailing <c>/</c> added to a directory.</summary>
    public string Text { get; }

    /// <summary>Whether it names a directory (and covers everything below it).</summary>
    public bool Directory { get; }

    /// <summary>The number of <c>/</c> in the pattern, which a file it matches must have too (get_maintainer.pl's rule).</summary>
    public int Slashes { get; }

    /// <summary>The literal start, up to the first wildcard or class.</summary>
    public string Literal { get; }

    private enum ElementKind : byte { Literal, AnyChar, Class, Star }

    private readonly record struct Element(ElementKind Kind, char Char = '\0', string? Ranges = null, bool Negated = false)
    {
        public bool Accepts(char c) => Kind switch
        {
            ElementKind.Literal => c == Char,
            ElementKind.AnyChar => c != '\n',
            _ => InRanges(c) != Negated,
        };

        private bool InRanges(char c)
        {
            for (var i = 0; i + 1 < Ranges!.Length; i += 2)
            {
                if (c >= Ranges[i] && c <= Ranges[i + 1])
                    return true;
            }
            return false;
        }
    }

    /// <summary>Reads a pattern; a <c>[</c> without its <c>]</c> is taken literally (get_maintainer.pl would stop on it).</summary>
    public static FilePattern Parse(string text, bool directory)
    {
        var elements = new List<Element>();
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case '*':
                    if (elements.Count == 0 || elements[^1].Kind != ElementKind.Star)
                        elements.Add(new Element(ElementKind.Star));
                    break;
                case '?':
                    elements.Add(new Element(ElementKind.AnyChar));
                    break;
                case '\\' when i + 1 < text.Length:
                    elements.Add(new Element(ElementKind.Literal, text[++i]));
                    break;
                case '[' when TryClass(text, i, out var element, out var end):
                    elements.Add(element);
                    i = end;
                    break;
                default:
                    elements.Add(new Element(ElementKind.Literal, c));
                    break;
            }
        }
        return new FilePattern(text, directory, [.. elements]);
    }

    /// <summary>A class <c>[…]</c> or <c>[^…]</c> starting at <paramref name="start"/>, with ranges and escapes, as in a Perl regex.</summary>
    private static bool TryClass(string text, int start, out Element element, out int end)
    {
        element = default;
        var i = start + 1;
        var negated = i < text.Length && text[i] == '^';
        if (negated)
            i++;
        var ranges = new StringBuilder();
        var first = true;
        for (; i < text.Length; i++)
        {
            var c = text[i];
            if (c == ']' && !first)
            {
                element = new Element(ElementKind.Class, Ranges: ranges.ToString(), Negated: negated);
                end = i;
                return true;
            }
            first = false;
            if (c == '\\' && i + 1 < text.Length)
                c = text[++i];
            var high = c;
            if (i + 2 < text.Length && text[i + 1] == '-' && text[i + 2] != ']')
            {
                high = text[i + 2];
                i += 2;
                if (high == '\\' && i + 1 < text.Length)
                    high = text[++i];
            }
            ranges.Append(c).Append(high);
        }
        end = start;
        return false;
    }

    /// <summary>Whether the pattern matches <paramref name="path"/> as get_maintainer.pl's <c>file_match_pattern</c> does.</summary>
    public bool Matches(string path) => MatchesPrefix(path) && (Directory || path.Count(c => c == '/') == Slashes);

    /// <summary>
    /// Whether the pattern matches a prefix of <paramref name="path"/>: a glob match with a star after the pattern, done with
    /// one backtracking point (the last star), which is exact for globs whose other elements each take one character.
    /// </summary>
    private bool MatchesPrefix(string path)
    {
        int p = 0, s = 0, star = -1, starAt = 0;
        while (p < _elements.Length)
        {
            if (_elements[p].Kind == ElementKind.Star)
            {
                star = p++;
                starAt = s;
                continue;
            }
            if (s < path.Length && _elements[p].Accepts(path[s]))
            {
                p++;
                s++;
                continue;
            }
            if (star < 0 || starAt >= path.Length || path[starAt] == '\n')
                return false;
            p = star + 1;
            s = ++starAt;
        }
        return true;
    }
}

/// <summary>Reads the MAINTAINERS file.</summary>
public static class MaintainersFile
{
    /// <summary>
    /// Parses MAINTAINERS. <paramref name="isDirectory"/> tells whether a path is a directory of the
    /// tree: like get_maintainer.pl, an F: naming a directory without a trailing slash covers it whole.
    /// </summary>
    public static List<MaintainersEntry> Parse(ReadOnlySpan<byte> content, Func<string, bool> isDirectory)
    {
        var entries = new List<MaintainersEntry>();
        MaintainersEntry? current = null;
        var started = false;
        // One object per distinct N: text, so a pattern that needs the linear engine builds it once, however often it is repeated.
        var namePatterns = new Dictionary<string, NamePattern?>(StringComparer.Ordinal);
        foreach (var raw in Encoding.UTF8.GetString(content).Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Length >= 2 && line[1] == ':' && char.IsAsciiLetterUpper(line[0]) && current is not null)
            {
                started = true;
                var value = line[2..].Trim();
                switch (line[0])
                {
                    case 'M': current.Maintainers.Add(value); break;
                    case 'R': current.Reviewers.Add(value); break;
                    case 'L': current.Lists.Add(value); break;
                    case 'S': current.Status = value; break;
                    case 'F': current.Files.Add(FilePatternOf(value, isDirectory)); break;
                    case 'X': current.Excludes.Add(FilePatternOf(value, isDirectory)); break;
                    case 'N':
                        if (!namePatterns.TryGetValue(value, out var pattern))
                            namePatterns[value] = pattern = NamePattern.TryParse(value);
                        if (pattern is not null)
                            current.Patterns.Add(pattern);
                        break;
                }
                continue;
            }
            if (line.Trim().Length == 0)
            {
                current = null;
                continue;
            }
            // A title line opens a section; the preamble before the first section has no F: lines.
            if (current is null || !started)
            {
                current = new MaintainersEntry { Name = line.Trim() };
                entries.Add(current);
                started = false;
            }
        }
        entries.RemoveAll(e => e.Files.Count == 0 && e.Patterns.Count == 0 && e.Maintainers.Count == 0);
        return entries;
    }

    private static FilePattern FilePatternOf(string value, Func<string, bool> isDirectory)
    {
        var directory = value.EndsWith('/');
        if (!directory && !value.Contains('*') && !value.Contains('?') && isDirectory(value))
        {
            value += "/";
            directory = true;
        }
        return FilePattern.Parse(value, directory);
    }
}

/// <summary>
/// Finds the entries covering a path without trying every entry: each F: pattern is filed under the first
/// directory of its literal prefix, so a path is only tested against entries that can match it (and those
/// whose patterns start with a wildcard or that have N: regexes).
/// </summary>
public sealed class MaintainersIndex
{
    private readonly Dictionary<string, List<MaintainersEntry>> _byTop = new(StringComparer.Ordinal);
    private readonly List<MaintainersEntry> _everywhere = [];

    /// <summary>Indexes parsed entries; entries named in <paramref name="ignore"/> (catch-alls such as THE REST) are left out.</summary>
    public MaintainersIndex(IEnumerable<MaintainersEntry> entries, IReadOnlySet<string>? ignore = null)
    {
        foreach (var entry in entries)
        {
            if (ignore?.Contains(entry.Name) == true)
                continue;
            var tops = new HashSet<string>(StringComparer.Ordinal);
            var anywhere = entry.Patterns.Count > 0;
            foreach (var pattern in entry.Files)
            {
                // Filed under the literal's first two directories when it has them (drivers/net), else its first.
                var literal = pattern.Literal;
                var first = literal.IndexOf('/');
                var second = first > 0 ? literal.IndexOf('/', first + 1) : -1;
                if (second > 0)
                    tops.Add(literal[..second]);
                else if (first > 0)
                    tops.Add(literal[..first]);
                else
                    anywhere = true; // a wildcard before the first '/', or a file at the top
            }
            if (anywhere)
                _everywhere.Add(entry);
            foreach (var top in tops)
            {
                if (!_byTop.TryGetValue(top, out var list))
                    _byTop[top] = list = [];
                list.Add(entry);
            }
        }
    }

    /// <summary>Every indexed entry covering <paramref name="path"/>.</summary>
    public IEnumerable<MaintainersEntry> Covering(string path)
    {
        var first = path.IndexOf('/');
        var second = first > 0 ? path.IndexOf('/', first + 1) : -1;
        IEnumerable<MaintainersEntry> candidates = _everywhere;
        if (first > 0 && _byTop.TryGetValue(path[..first], out var one))
            candidates = candidates.Concat(one);
        if (second > 0 && _byTop.TryGetValue(path[..second], out var two))
            candidates = candidates.Concat(two);
        return candidates.Distinct().Where(e => e.Covers(path));
    }

}
