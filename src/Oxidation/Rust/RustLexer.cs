using Oxidation.Counting;

namespace Oxidation.Rust;

/// <summary>
/// An exact lexer for Rust source as far as comments, strings and identifiers go
/// (https://doc.rust-lang.org/reference/tokens.html): nested block comments, doc comments,
/// raw strings with any number of <c>#</c>, byte and C strings, character literals versus lifetimes,
/// escapes. It never throws: malformed input ends the current token at the end of the text.
/// </summary>
public static class RustLexer
{
    /// <summary>Splits <paramref name="source"/> into tokens, comments included.</summary>
    public static List<RustToken> Tokenize(ReadOnlySpan<byte> source)
    {
        var tokens = new List<RustToken>(source.Length / 5);
        var s = source;
        var n = s.Length;
        var i = 0;
        var line = 1;
        while (i < n)
        {
            var b = s[i];
            if (b == (byte)'\n')
            {
                line++;
                i++;
                continue;
            }
            if (b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\f' or (byte)'\v')
            {
                i++;
                continue;
            }
            var start = i;
            var startLine = line;
            var next = At(s, i + 1);
            if (b == '/' && next == '/')
            {
                var end = s[i..].IndexOf((byte)'\n');
                i = end < 0 ? n : i + end;
                var doc = At(s, start + 2) == '/' && At(s, start + 3) != '/' ? DocKind.Outer
                    : At(s, start + 2) == '!' ? DocKind.Inner : DocKind.None;
                tokens.Add(new RustToken(TokenKind.LineComment, start, i - start, startLine, startLine, doc));
                continue;
            }
            if (b == '/' && next == '*')
            {
                i += 2;
                var depth = 1;
                while (i < n && depth > 0)
                {
                    var c = s[i];
                    if (c == '\n')
                    {
                        line++;
                        i++;
                    }
                    else if (c == '/' && At(s, i + 1) == '*')
                    {
                        depth++;
                        i += 2;
                    }
                    else if (c == '*' && At(s, i + 1) == '/')
                    {
                        depth--;
                        i += 2;
                    }
                    else
                    {
                        i++;
                    }
                }
                var third = At(s, start + 2);
                var fourth = At(s, start + 3);
                var doc = third == '*' && fourth != '*' && fourth != '/' ? DocKind.Outer
                    : third == '!' ? DocKind.Inner : DocKind.None;
                tokens.Add(new RustToken(TokenKind.BlockComment, start, i - start, startLine, line, doc));
                continue;
            }
            if (b == '"')
            {
                i = SkipQuoted(s, i + 1, (byte)'"', ref line);
                tokens.Add(new RustToken(TokenKind.Literal, start, i - start, startLine, line));
                continue;
            }
            if (b == '\'')
            {
                i = CharOrLifetime(s, i, out var kind, ref line);
                tokens.Add(new RustToken(kind, start, i - start, startLine, line));
                continue;
            }
            if (IsIdentStart(b))
            {
                if (TryPrefixedLiteral(s, i, ref line, out var literalEnd))
                {
                    i = literalEnd;
                    tokens.Add(new RustToken(TokenKind.Literal, start, i - start, startLine, line));
                    continue;
                }
                if (b == 'r' && next == '#' && IsIdentStart(At(s, i + 2)))
                    i += 2; // raw identifier r#name
                while (i < n && IsIdentContinue(s[i]))
                    i++;
                tokens.Add(new RustToken(TokenKind.Ident, start, i - start, startLine, line));
                continue;
            }
            if (b is >= (byte)'0' and <= (byte)'9')
            {
                i = SkipNumber(s, i);
                tokens.Add(new RustToken(TokenKind.Literal, start, i - start, startLine, line));
                continue;
            }
            i++;
            tokens.Add(new RustToken(TokenKind.Punct, start, 1, startLine, line));
        }
        return tokens;
    }

    /// <summary>Counts lines: blank when only white space, code when any token other than a comment
    /// touches the line, comment otherwise.</summary>
    public static LineStats CountLines(ReadOnlySpan<byte> source) => CountLines(source, Tokenize(source));

    /// <summary>Counts lines from tokens already made for <paramref name="source"/>.</summary>
    public static LineStats CountLines(ReadOnlySpan<byte> source, List<RustToken> tokens)
    {
        var lineCount = 0;
        foreach (var _ in LineCounter.Lines(source))
            lineCount++;
        // 1 = comment, 2 = code; index by 1-based line number.
        var marks = new byte[lineCount + 2];
        foreach (var t in tokens)
        {
            var mark = t.IsComment ? (byte)1 : (byte)2;
            for (var l = t.Line; l <= t.EndLine && l <= lineCount; l++)
                marks[l] = Math.Max(marks[l], mark);
        }
        long code = 0, comment = 0, blank = 0;
        var number = 0;
        foreach (var text in LineCounter.Lines(source))
        {
            number++;
            if (text.IndexOfAnyExcept(LineCounter.Whitespace) < 0)
                blank++;
            else if (marks[number] == 2)
                code++;
            else if (marks[number] == 1)
                comment++;
            else
                code++; // unreachable for well-formed tokens; never lose a line
        }
        return new LineStats(code, comment, blank);
    }

    private static byte At(ReadOnlySpan<byte> s, int i) => (uint)i < (uint)s.Length ? s[i] : (byte)0;

    internal static bool IsIdentStart(byte b) => b is (>= (byte)'a' and <= (byte)'z') or (>= (byte)'A' and <= (byte)'Z') or (byte)'_' or >= 0x80;

    internal static bool IsIdentContinue(byte b) => IsIdentStart(b) || b is >= (byte)'0' and <= (byte)'9';

    /// <summary>Skips a quoted literal body from just after the opening quote; returns the index after the closing quote.</summary>
    private static int SkipQuoted(ReadOnlySpan<byte> s, int i, byte quote, ref int line)
    {
        while (i < s.Length)
        {
            var c = s[i];
            if (c == '\\')
            {
                if (At(s, i + 1) == '\n')
                    line++;
                i += 2;
                continue;
            }
            if (c == '\n')
                line++;
            i++;
            if (c == quote)
                return i;
        }
        return s.Length;
    }

    /// <summary>A raw string body after <c>r</c>: <c>#*"…"#*</c>; returns -1 when it is not one.</summary>
    private static int SkipRaw(ReadOnlySpan<byte> s, int i, ref int line)
    {
        var hashes = 0;
        while (At(s, i + hashes) == '#')
            hashes++;
        if (At(s, i + hashes) != '"')
            return -1;
        i += hashes + 1;
        while (i < s.Length)
        {
            var c = s[i];
            if (c == '\n')
                line++;
            i++;
            if (c == '"')
            {
                var h = 0;
                while (h < hashes && At(s, i + h) == '#')
                    h++;
                if (h == hashes)
                    return i + hashes;
            }
        }
        return s.Length;
    }

    /// <summary>String and character literals with a prefix: r"", r#""#, b"", br"", b'', c"", cr"".</summary>
    private static bool TryPrefixedLiteral(ReadOnlySpan<byte> s, int i, ref int line, out int end)
    {
        end = -1;
        var b = s[i];
        var next = At(s, i + 1);
        if (b == 'r' && next is (byte)'"' or (byte)'#')
        {
            var l = line;
            end = SkipRaw(s, i + 1, ref l);
            if (end >= 0)
                line = l;
            return end >= 0;
        }
        if (b is (byte)'b' or (byte)'c')
        {
            if (next == '"')
            {
                end = SkipQuoted(s, i + 2, (byte)'"', ref line);
                return true;
            }
            if (b == 'b' && next == '\'')
            {
                end = CharOrLifetime(s, i + 1, out _, ref line);
                return true;
            }
            if (next == 'r' && At(s, i + 2) is (byte)'"' or (byte)'#')
            {
                var l = line;
                end = SkipRaw(s, i + 2, ref l);
                if (end >= 0)
                    line = l;
                return end >= 0;
            }
        }
        return false;
    }

    /// <summary>At a <c>'</c>: a character literal (<c>'a'</c>, <c>'\n'</c>, <c>'\u{1F600}'</c>) or a lifetime (<c>'a</c>).</summary>
    private static int CharOrLifetime(ReadOnlySpan<byte> s, int i, out TokenKind kind, ref int line)
    {
        var next = At(s, i + 1);
        if (next == '\\')
        {
            kind = TokenKind.Literal;
            var j = i + 3;
            while (j < s.Length && s[j] != '\'' && s[j] != '\n')
                j++;
            return Math.Min(j + 1, s.Length);
        }
        var width = Utf8Width(next);
        if (next != 0 && next != '\n' && At(s, i + 1 + width) == '\'')
        {
            kind = TokenKind.Literal;
            return i + 2 + width;
        }
        kind = TokenKind.Lifetime;
        var k = i + 1;
        while (k < s.Length && IsIdentContinue(s[k]))
            k++;
        return k == i + 1 ? i + 1 : k;
    }

    private static int Utf8Width(byte lead) => lead switch
    {
        < 0x80 => 1,
        >= 0xF0 => 4,
        >= 0xE0 => 3,
        >= 0xC0 => 2,
        _ => 1,
    };

    private static int SkipNumber(ReadOnlySpan<byte> s, int i)
    {
        var start = i;
        while (i < s.Length)
        {
            var c = s[i];
            if (IsIdentContinue(c))
            {
                i++;
                // exponent sign: 1e-5, 2.5E+3 (not in hex literals, where e is a digit)
                if ((c == 'e' || c == 'E') && At(s, i) is (byte)'+' or (byte)'-' && At(s, i + 1) is >= (byte)'0' and <= (byte)'9'
                    && !(s[start] == '0' && At(s, start + 1) is (byte)'x' or (byte)'X'))
                    i++;
                continue;
            }
            // a fraction: 1.5, but not a range (1..2), a method (1.max()) or a tuple index (x.0.1)
            if (c == '.' && At(s, i + 1) is >= (byte)'0' and <= (byte)'9' && (start == 0 || s[start - 1] != '.'))
            {
                i++;
                continue;
            }
            break;
        }
        return i;
    }
}
