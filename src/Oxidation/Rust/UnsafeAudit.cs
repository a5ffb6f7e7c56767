using System.Text;

namespace Oxidation.Rust;

/// <summary>What an <c>unsafe</c> keyword introduces.</summary>
public enum UnsafeKind
{
    /// <summary><c>unsafe { … }</c></summary>
    Block,
    /// <summary><c>unsafe fn name</c>, with or without <c>extern "ABI"</c>.</summary>
    Function,
    /// <summary><c>unsafe impl</c></summary>
    Impl,
    /// <summary><c>unsafe trait</c></summary>
    Trait,
    /// <summary><c>unsafe extern "C" { … }</c> (Rust 2024 extern blocks).</summary>
    ExternBlock,
}

/// <summary>Whether an unsafe site carries its justification.</summary>
public enum Justification
{
    /// <summary>A block or impl with a <c>// SAFETY:</c> comment.</summary>
    Justified,
    /// <summary>A block or impl whose safety comment only says <c>SAFETY: TODO</c>.</summary>
    Todo,
    /// <summary>A block or impl with no safety comment.</summary>
    Missing,
    /// <summary>An unsafe function or trait whose doc comment has a <c># Safety</c> section.</summary>
    Documented,
    /// <summary>An unsafe function or trait without a <c># Safety</c> section.</summary>
    Undocumented,
}

/// <summary>One use of <c>unsafe</c>: where, what, and whether it is justified.</summary>
public sealed record UnsafeSite(int Line, UnsafeKind Kind, Justification Status, bool DocTest);

/// <summary>
/// Finds unsafe sites among real tokens (never in comments or strings) and checks their
/// justification, following the rules of clippy's <c>undocumented_unsafe_blocks</c> and
/// <c>missing_safety_doc</c> as the kernel applies them (Documentation/rust/coding-guidelines.rst).
/// </summary>
public static class UnsafeAudit
{
    /// <summary>Audits one file or doc test.</summary>
    public static List<UnsafeSite> Audit(ReadOnlySpan<byte> source, List<RustToken> tokens, RustKnowledge knowledge, bool docTest = false)
    {
        var sites = new List<UnsafeSite>();
        var code = new List<int>(tokens.Count);
        for (var i = 0; i < tokens.Count; i++)
        {
            if (!tokens[i].IsComment)
                code.Add(i);
        }
        Dictionary<int, Justification>? onLine = null;
        for (var c = 0; c < code.Count; c++)
        {
            var t = tokens[code[c]];
            if (!t.Is(source, "unsafe"u8) || c + 1 >= code.Count)
                continue;
            var kind = KindAfter(source, tokens, code, c);
            if (kind is null)
                continue;
            var status = kind is UnsafeKind.Function or UnsafeKind.Trait
                ? (HasSafetySection(source, tokens, code, c, knowledge) ? Justification.Documented : Justification.Undocumented)
                : SafetyComment(source, tokens, code, c, knowledge, onLine ??= CommentsByLine(source, tokens, knowledge));
            sites.Add(new UnsafeSite(t.Line, kind.Value, status, docTest));
        }
        return sites;
    }

    private static UnsafeKind? KindAfter(ReadOnlySpan<byte> s, List<RustToken> tokens, List<int> code, int c)
    {
        var next = tokens[code[c + 1]];
        if (next.IsPunct(s, '{'))
            return UnsafeKind.Block;
        if (next.Is(s, "impl"u8))
            return UnsafeKind.Impl;
        if (next.Is(s, "trait"u8) || (next.Is(s, "auto"u8) && c + 2 < code.Count && tokens[code[c + 2]].Is(s, "trait"u8)))
            return UnsafeKind.Trait;
        var k = c + 1;
        if (next.Is(s, "extern"u8))
        {
            k++;
            if (k < code.Count && tokens[code[k]].Kind == TokenKind.Literal)
                k++;
            if (k < code.Count && tokens[code[k]].IsPunct(s, '{'))
                return UnsafeKind.ExternBlock;
        }
        // "unsafe fn name" declares a function; "unsafe fn(" is a function pointer type.
        if (k + 1 < code.Count && tokens[code[k]].Is(s, "fn"u8) && tokens[code[k + 1]].Kind == TokenKind.Ident)
            return UnsafeKind.Function;
        return null;
    }

    /// <summary>
    /// A block or impl is justified by a safety comment on its own line, in the comments right above it
    /// (attributes may stand between), or right above the statement or argument that contains it.
    /// </summary>
    private static Justification SafetyComment(ReadOnlySpan<byte> s, List<RustToken> tokens, List<int> code, int c, RustKnowledge knowledge,
        Dictionary<int, Justification> onLine)
    {
        var unsafeIndex = code[c];
        var found = Justification.Missing;
        void Consider(Justification j)
        {
            if (j == Justification.Justified || (j == Justification.Todo && found == Justification.Missing))
                found = j;
        }

        if (onLine.TryGetValue(tokens[unsafeIndex].Line, out var sameLine))
            Consider(sameLine);
        foreach (var anchor in Anchors(s, tokens, code, c))
        {
            foreach (var comment in PrecedingComments(s, tokens, anchor))
                Consider(Classify(s, tokens[comment], knowledge));
        }
        return found;
    }

    /// <summary>
    /// The best justification among the comments touching each line (a comment touches the lines it starts and ends on;
    /// no token lies inside one), worked out once per file: looking along the line for each unsafe site was quadratic
    /// on a long line.
    /// </summary>
    private static Dictionary<int, Justification> CommentsByLine(ReadOnlySpan<byte> s, List<RustToken> tokens, RustKnowledge knowledge)
    {
        var best = new Dictionary<int, Justification>();
        void Add(int line, Justification j)
        {
            if (!best.TryGetValue(line, out var current) || j == Justification.Justified || (j == Justification.Todo && current == Justification.Missing))
                best[line] = j;
        }

        foreach (var t in tokens)
        {
            if (!t.IsComment)
                continue;
            var j = Classify(s, t, knowledge);
            Add(t.Line, j);
            Add(t.EndLine, j);
        }
        return best;
    }

    private static Justification Classify(ReadOnlySpan<byte> s, RustToken comment, RustKnowledge knowledge)
    {
        var text = Encoding.UTF8.GetString(comment.Text(s));
        var at = text.IndexOf(knowledge.SafetyMarker, StringComparison.Ordinal);
        if (at < 0)
            return Justification.Missing;
        return knowledge.SafetyTodo.IsMatch(text[at..]) ? Justification.Todo : Justification.Justified;
    }

    /// <summary>The token itself and the first tokens of the argument and statement around it.</summary>
    private static List<int> Anchors(ReadOnlySpan<byte> s, List<RustToken> tokens, List<int> code, int c)
    {
        var anchors = new List<int> { code[c] };
        var depth = 0;
        var firstComma = -1;
        var start = 0; // code index of the statement's first token
        for (var k = c - 1; k >= 0; k--)
        {
            var t = tokens[code[k]];
            if (t.Kind != TokenKind.Punct)
                continue;
            var ch = (char)s[t.Start];
            var stop = false;
            switch (ch)
            {
                case ')' or ']':
                    depth++;
                    break;
                case '}':
                    // A `}` followed by `=`, `.`, `?`, an operator or `as` closes a group inside this statement
                    // (a struct pattern or literal: `let S { a, b } = unsafe { … }`), not the previous statement.
                    stop = depth == 0 && !ContinuesStatement(s, tokens, code, k + 1);
                    depth++;
                    break;
                case '(' or '[':
                    if (depth == 0)
                    {
                        firstComma = -1; // the commas seen were this call's arguments
                        anchors.Add(code[k + 1]);
                    }
                    else
                    {
                        depth--;
                    }
                    break;
                case '{':
                    stop = depth == 0;
                    depth--;
                    break;
                case ';':
                    stop = depth == 0;
                    break;
                case ',':
                    if (depth == 0)
                    {
                        if (firstComma < 0)
                            firstComma = anchors.Count + 1;
                        anchors.Add(code[k + 1]);
                    }
                    break;
            }
            if (stop)
            {
                start = k + 1;
                break;
            }
        }
        // Past a comma in a brace group (a match arm, a struct field) the statement start is not ours.
        if (firstComma >= 0)
        {
            anchors.RemoveRange(firstComma, anchors.Count - firstComma);
            return anchors;
        }
        anchors.Add(code[start]);
        // Comments may also stand between the statement's attributes and its first token.
        var afterAttributes = SkipAttributes(s, tokens, code, start);
        if (afterAttributes < code.Count && afterAttributes != start)
            anchors.Add(code[afterAttributes]);
        return anchors;
    }

    private static bool ContinuesStatement(ReadOnlySpan<byte> s, List<RustToken> tokens, List<int> code, int k)
    {
        if (k >= code.Count)
            return false;
        var t = tokens[code[k]];
        if (t.Is(s, "as"u8))
            return true;
        return t.Kind == TokenKind.Punct && "=.?+/%^|".Contains((char)s[t.Start], StringComparison.Ordinal);
    }

    /// <summary>The code index after any attributes (<c>#[…]</c>, <c>#![…]</c>) starting at <paramref name="ci"/>.</summary>
    private static int SkipAttributes(ReadOnlySpan<byte> s, List<RustToken> tokens, List<int> code, int ci)
    {
        while (ci >= 0 && ci + 1 < code.Count && tokens[code[ci]].IsPunct(s, '#'))
        {
            var open = tokens[code[ci + 1]].IsPunct(s, '!') ? ci + 2 : ci + 1;
            if (open >= code.Count || !tokens[code[open]].IsPunct(s, '['))
                break;
            var depth = 0;
            var k = open;
            for (; k < code.Count; k++)
            {
                if (tokens[code[k]].IsPunct(s, '['))
                    depth++;
                else if (tokens[code[k]].IsPunct(s, ']') && --depth == 0)
                    break;
            }
            ci = k + 1;
        }
        return ci;
    }

    /// <summary>The comments directly before a token, stepping over attributes (<c>#[…]</c>).</summary>
    private static List<int> PrecedingComments(ReadOnlySpan<byte> s, List<RustToken> tokens, int index)
    {
        var comments = new List<int>();
        var k = index - 1;
        while (k >= 0)
        {
            var t = tokens[k];
            if (t.IsComment)
            {
                comments.Add(k);
                k--;
                continue;
            }
            if (t.IsPunct(s, ']'))
            {
                var depth = 0;
                var j = k;
                for (; j >= 0; j--)
                {
                    if (tokens[j].IsPunct(s, ']'))
                        depth++;
                    else if (tokens[j].IsPunct(s, '[') && --depth == 0)
                        break;
                }
                if (j > 0 && tokens[j - 1].IsPunct(s, '#'))
                {
                    k = j - 2;
                    continue;
                }
                if (j > 1 && tokens[j - 1].IsPunct(s, '!') && tokens[j - 2].IsPunct(s, '#'))
                {
                    k = j - 3;
                    continue;
                }
            }
            break;
        }
        return comments;
    }

    /// <summary>Whether the doc comment of the item an <c>unsafe fn</c> or <c>unsafe trait</c> begins has a <c># Safety</c> section.</summary>
    private static bool HasSafetySection(ReadOnlySpan<byte> s, List<RustToken> tokens, List<int> code, int c, RustKnowledge knowledge)
    {
        // Step back over qualifiers: pub, pub(crate), const, async, default.
        var k = c - 1;
        while (k >= 0)
        {
            var t = tokens[code[k]];
            if (t.Is(s, "pub"u8) || t.Is(s, "const"u8) || t.Is(s, "async"u8) || t.Is(s, "default"u8))
            {
                k--;
                continue;
            }
            if (t.IsPunct(s, ')') && k >= 2 && tokens[code[k - 2]].IsPunct(s, '(') && k >= 3 && tokens[code[k - 3]].Is(s, "pub"u8))
            {
                k -= 3;
                continue;
            }
            if (t.IsPunct(s, ')') && k >= 4 && tokens[code[k - 4]].Is(s, "pub"u8))
            {
                k -= 4; // pub(in path)
                continue;
            }
            break;
        }
        var first = k + 1 < code.Count ? code[k + 1] : code[c];
        foreach (var comment in PrecedingComments(s, tokens, first))
        {
            var t = tokens[comment];
            if (t.Doc == DocKind.None)
                continue;
            foreach (var line in DocTests.DocLines(t.Text(s)))
            {
                if (knowledge.SafetySection.IsMatch(line))
                    return true;
            }
        }
        return false;
    }
}
