using System.Text;

namespace Oxidation.CHeaders;

internal enum CTokenKind : byte
{
    Identifier,
    Number,
    String,
    Char,
    Punct,
}

/// <summary>A token of C code outside directives. <see cref="Match"/> is the index of the matching bracket
/// (or -1); a brace made neutral by an unbalanced <c>#else</c> branch has no match and no meaning.</summary>
internal struct CToken
{
    public int Start;
    public int Length;
    public int Line;
    public int Match;
    public CTokenKind Kind;
    public bool SpaceBefore;
    public bool Neutral;
}

/// <summary>A <c>#define</c> as read by the lexer.</summary>
internal readonly record struct CDefine(string Name, int Line, int LastLine, string Body, List<string>? Parameters);

/// <summary>
/// Splits C text into tokens (comments, line continuations and directives removed) and directives. Every branch of
/// <c>#if</c>/<c>#else</c> is kept, except where the condition is a literal (<c>#if 0</c>, <c>#if 1</c>) or tests only
/// whether one of <see cref="CKnowledge.Defined"/> or <see cref="CKnowledge.Undefined"/> is defined
/// (<c>#ifndef __KERNEL__</c>, <c>#ifdef __ASSEMBLY__</c>, <c>#if !defined(__ASSEMBLY__)</c>). When the branches of
/// one conditional change the brace depth (<c>#ifdef X if (a) { #else if (b) { #endif</c>), only the first branch's
/// braces count, as ctags does, so one branch's opening brace does not swallow the rest of the file.
/// Linear in the input; never throws.
/// </summary>
internal sealed class CLexer
{
    private const int TrackedDepth = 32;

    private readonly byte[] _s;
    private int _i;
    private int _line = 1;
    private bool _space;
    private int _balance;
    private readonly List<Frame> _frames = [];

    public List<CToken> Tokens { get; } = [];

    public List<CDefine> Defines { get; } = [];

    public List<CInclude> Includes { get; } = [];

    public List<string> Problems { get; } = [];

    private readonly CKnowledge _knowledge;

    private CLexer(byte[] text, CKnowledge knowledge)
    {
        _s = text;
        _knowledge = knowledge;
    }

    public byte[] Text => _s;

    public static CLexer Run(byte[] text, CKnowledge knowledge)
    {
        var lexer = new CLexer(text, knowledge);
        lexer.Lex();
        lexer.MatchBrackets();
        return lexer;
    }

    private bool Dead => _frames.Count > 0 && _frames[^1].Dead;

    private void Lex()
    {
        var s = _s;
        var atLineStart = true;
        while (_i < s.Length)
        {
            var c = s[_i];
            if (c == '\n')
            {
                _line++;
                _i++;
                atLineStart = true;
                _space = true;
                continue;
            }
            if (c is (byte)' ' or (byte)'\t' or (byte)'\r' or 0x0b or 0x0c)
            {
                _i++;
                _space = true;
                continue;
            }
            if (c == '\\' && IsNewlineAt(_i + 1, out var width))
            {
                _i += 1 + width;
                _line++;
                _space = true;
                continue;
            }
            if (c == '/' && _i + 1 < s.Length && s[_i + 1] == '*')
            {
                SkipBlockComment();
                _space = true;
                continue;
            }
            if (c == '/' && _i + 1 < s.Length && s[_i + 1] == '/')
            {
                SkipLineComment();
                _space = true;
                continue;
            }
            if (c == '#' && atLineStart)
            {
                _i++;
                Directive();
                atLineStart = true;
                _space = true;
                continue;
            }
            atLineStart = false;
            var start = _i;
            CTokenKind kind;
            if (IsIdentStart(c))
            {
                while (_i < s.Length && IsIdentPart(s[_i]))
                    _i++;
                kind = CTokenKind.Identifier;
            }
            else if (IsDigit(c) || (c == '.' && _i + 1 < s.Length && IsDigit(s[_i + 1])))
            {
                _i++;
                while (_i < s.Length)
                {
                    var d = s[_i];
                    if (IsIdentPart(d) || d == '.')
                        _i++;
                    else if ((d == '+' || d == '-') && (s[_i - 1] | 0x20) is (byte)'e' or (byte)'p')
                        _i++;
                    else
                        break;
                }
                kind = CTokenKind.Number;
            }
            else if (c is (byte)'"' or (byte)'\'')
            {
                SkipQuoted(c);
                kind = c == '"' ? CTokenKind.String : CTokenKind.Char;
            }
            else
            {
                _i++;
                kind = CTokenKind.Punct;
            }
            if (Dead)
            {
                _space = false;
                continue;
            }
            var token = new CToken { Start = start, Length = _i - start, Line = _line, Match = -1, Kind = kind, SpaceBefore = _space };
            _space = false;
            if (kind == CTokenKind.Punct && (c == '{' || c == '}'))
            {
                _balance += c == '{' ? 1 : -1;
                if (_frames.Count > 0 && _frames.Count <= TrackedDepth)
                    _frames[^1].Braces.Add(Tokens.Count);
            }
            Tokens.Add(token);
        }
        // Unclosed conditionals at the end of the file are left as they are.
    }

    private bool IsNewlineAt(int at, out int width)
    {
        width = 0;
        if (at < _s.Length && _s[at] == '\n')
            width = 1;
        else if (at + 1 < _s.Length && _s[at] == '\r' && _s[at + 1] == '\n')
            width = 2;
        return width > 0;
    }

    private void SkipBlockComment()
    {
        var s = _s;
        _i += 2;
        while (_i < s.Length)
        {
            if (s[_i] == '*' && _i + 1 < s.Length && s[_i + 1] == '/')
            {
                _i += 2;
                return;
            }
            if (s[_i] == '\n')
                _line++;
            _i++;
        }
    }

    private void SkipLineComment()
    {
        var s = _s;
        while (_i < s.Length && s[_i] != '\n')
        {
            if (s[_i] == '\\' && IsNewlineAt(_i + 1, out var width))
            {
                _i += 1 + width;
                _line++;
                continue;
            }
            _i++;
        }
    }

    /// <summary>A string or char literal; an unterminated one ends at the end of its line.</summary>
    private void SkipQuoted(byte quote)
    {
        var s = _s;
        _i++;
        while (_i < s.Length)
        {
            var c = s[_i];
            if (c == quote)
            {
                _i++;
                return;
            }
            if (c == '\n')
                return;
            if (c == '\\' && _i + 1 < s.Length)
            {
                if (IsNewlineAt(_i + 1, out var width))
                {
                    _i += 1 + width;
                    _line++;
                    continue;
                }
                _i += 2;
                continue;
            }
            _i++;
        }
    }

    /// <summary>Reads the rest of a directive's logical line: continuations joined, comments replaced by a space,
    /// literals kept; leaves the position at the newline that ends it.</summary>
    private string LogicalLine()
    {
        var s = _s;
        var text = new StringBuilder();
        while (_i < s.Length)
        {
            var c = s[_i];
            if (c == '\n')
                break;
            if (c == '\\' && IsNewlineAt(_i + 1, out var width))
            {
                _i += 1 + width;
                _line++;
                text.Append(' ');
                continue;
            }
            if (c == '/' && _i + 1 < s.Length && s[_i + 1] == '*')
            {
                SkipBlockComment();
                text.Append(' ');
                continue;
            }
            if (c == '/' && _i + 1 < s.Length && s[_i + 1] == '/')
            {
                SkipLineComment();
                continue;
            }
            if (c is (byte)'"' or (byte)'\'')
            {
                var start = _i;
                SkipQuoted(c);
                text.Append(Encoding.Latin1.GetString(s, start, _i - start));
                continue;
            }
            text.Append(c is (byte)'\t' or (byte)'\r' or 0x0b or 0x0c ? ' ' : (char)c);
            _i++;
        }
        return text.ToString();
    }

    private void Directive()
    {
        var line = _line;
        var text = LogicalLine();
        var lastLine = _line;
        var p = 0;
        SkipSpaces(text, ref p);
        var name = Word(text, ref p);
        switch (name)
        {
            case "if" or "ifdef" or "ifndef":
                {
                    var value = Decide(name, text[p..].Trim());
                    _frames.Add(new Frame(_balance) { ParentDead = Dead, BranchDead = value == false, Taken = value == true });
                    return;
                }
            case "elif" or "elifdef" or "elifndef" or "else":
                {
                    if (_frames.Count == 0)
                        return;
                    var frame = _frames[^1];
                    frame.EndBranch(_balance);
                    var value = name == "else" ? true : Decide(name[2..], text[p..].Trim());
                    frame.BranchDead = frame.Taken || value == false;
                    if (value == true)
                        frame.Taken = true;
                    return;
                }
            case "endif":
                {
                    if (_frames.Count == 0)
                        return;
                    var frame = _frames[^1];
                    _frames.RemoveAt(_frames.Count - 1);
                    frame.EndBranch(_balance);
                    if (frame.Branches > 1 && frame.Unbalanced)
                    {
                        foreach (var index in frame.LaterBraces)
                        {
                            var t = Tokens[index];
                            _balance -= _s[t.Start] == '{' ? 1 : -1;
                            t.Neutral = true;
                            Tokens[index] = t;
                        }
                        frame.LaterBraces.Clear();
                    }
                    if (_frames.Count > 0 && _frames.Count <= TrackedDepth)
                    {
                        _frames[^1].Braces.AddRange(frame.FirstBraces);
                        _frames[^1].Braces.AddRange(frame.LaterBraces);
                    }
                    return;
                }
        }
        if (Dead)
            return;
        switch (name)
        {
            case "define":
                Define(text, p, line, lastLine);
                break;
            case "include" or "include_next":
                Include(text[p..].Trim(), name == "include_next", line);
                break;
        }
    }

    /// <summary>The value of a condition when it is a literal or asks only whether a known name is defined; null otherwise
    /// (the preprocessor's expression language, macros included, is not evaluated).</summary>
    private bool? Decide(string directive, string condition)
    {
        switch (directive)
        {
            case "ifdef" or "ifndef":
                var known = Known(condition);
                return directive == "ifdef" ? known : !known;
            case "if":
                if (condition == "0")
                    return false;
                if (condition == "1")
                    return true;
                var negated = condition.StartsWith('!');
                var rest = (negated ? condition[1..] : condition).Trim();
                if (!rest.StartsWith("defined", StringComparison.Ordinal))
                    return null;
                rest = rest["defined".Length..].Trim();
                if (rest.StartsWith('(') && rest.EndsWith(')'))
                    rest = rest[1..^1].Trim();
                var value = Known(rest);
                return negated ? !value : value;
            default:
                return null;
        }
    }

    private bool? Known(string name) =>
        _knowledge.Defined.Contains(name) ? true : _knowledge.Undefined.Contains(name) ? false : null;

    private void Define(string text, int p, int line, int lastLine)
    {
        SkipSpaces(text, ref p);
        var name = Word(text, ref p);
        if (name.Length == 0)
        {
            Problems.Add($"line {line}: #define without a name");
            return;
        }
        List<string>? parameters = null;
        if (p < text.Length && text[p] == '(')
        {
            var close = text.IndexOf(')', p);
            if (close < 0)
            {
                Problems.Add($"line {line}: #define {name}( without a closing parenthesis");
                close = text.Length;
            }
            parameters = [.. text[(p + 1)..close].Split(',').Select(a => a.Trim()).Where(a => a.Length > 0)];
            p = Math.Min(close + 1, text.Length);
        }
        Defines.Add(new CDefine(name, line, lastLine, Collapse(text.AsSpan(p)), parameters));
    }

    private void Include(string target, bool next, int line)
    {
        if (target.Length >= 2 && target[0] == '<' && target.IndexOf('>', 1) is var close and > 0)
            Includes.Add(new CInclude(target[1..close], Angled: true, next, IsComputed: false, line));
        else if (target.Length >= 2 && target[0] == '"' && target.IndexOf('"', 1) is var end and > 0)
            Includes.Add(new CInclude(target[1..end], Angled: false, next, IsComputed: false, line));
        else
            Includes.Add(new CInclude(Collapse(target), Angled: false, next, IsComputed: true, line));
    }

    /// <summary>Finds each bracket's partner with one stack per bracket kind (so the pass stays linear whatever
    /// the input); an unmatched bracket keeps <c>Match = -1</c>.</summary>
    private void MatchBrackets()
    {
        var stacks = new[] { new Stack<int>(), new Stack<int>(), new Stack<int>() };
        var tokens = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(Tokens);
        for (var k = 0; k < tokens.Length; k++)
        {
            ref var t = ref tokens[k];
            if (t.Kind != CTokenKind.Punct || t.Neutral)
                continue;
            var c = _s[t.Start];
            var kind = c switch { (byte)'(' or (byte)')' => 0, (byte)'[' or (byte)']' => 1, (byte)'{' or (byte)'}' => 2, _ => -1 };
            if (kind < 0)
                continue;
            if (c is (byte)'(' or (byte)'[' or (byte)'{')
                stacks[kind].Push(k);
            else if (stacks[kind].TryPop(out var open))
            {
                t.Match = open;
                tokens[open].Match = k;
            }
        }
    }

    internal static string Collapse(ReadOnlySpan<char> text)
    {
        var result = new StringBuilder(text.Length);
        var space = false;
        foreach (var c in text)
        {
            if (c is ' ' or '\t' or '\r' or '\n')
            {
                space = result.Length > 0;
                continue;
            }
            if (space)
                result.Append(' ');
            space = false;
            result.Append(c);
        }
        return result.ToString();
    }

    private static void SkipSpaces(string text, ref int p)
    {
        while (p < text.Length && text[p] == ' ')
            p++;
    }

    private static string Word(string text, ref int p)
    {
        var start = p;
        while (p < text.Length && text[p] < 0x80 && IsIdentPart((byte)text[p]))
            p++;
        return text[start..p];
    }

    internal static bool IsIdentStart(byte c) => (c | 0x20) is >= (byte)'a' and <= (byte)'z' || c == '_' || c == '$' || c >= 0x80;

    internal static bool IsIdentPart(byte c) => IsIdentStart(c) || IsDigit(c);

    private static bool IsDigit(byte c) => c is >= (byte)'0' and <= (byte)'9';

    private sealed class Frame(int balance)
    {
        private int _branchStart = balance;

        public bool ParentDead { get; init; }

        public bool BranchDead { get; set; }

        public bool Taken { get; set; }

        public bool Dead => ParentDead || BranchDead;

        public int Branches { get; private set; }

        public bool Unbalanced { get; private set; }

        /// <summary>Braces of the current branch, nested conditionals included.</summary>
        public List<int> Braces { get; } = [];

        public List<int> FirstBraces { get; } = [];

        public List<int> LaterBraces { get; } = [];

        public void EndBranch(int balance)
        {
            if (balance != _branchStart)
                Unbalanced = true;
            (Branches == 0 ? FirstBraces : LaterBraces).AddRange(Braces);
            Braces.Clear();
            Branches++;
            _branchStart = balance;
        }
    }
}
