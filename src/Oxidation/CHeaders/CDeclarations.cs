using System.Globalization;
using System.Text;

namespace Oxidation.CHeaders;

/// <summary>
/// Reads the declarations of one C header or source file: functions, structs and unions with their fields, enums
/// with their values, macros, typedefs, file-scope variables and macro invocations used as declarations. A reader
/// of declarations, not a compiler: macros are not expanded, every branch of <c>#if</c>/<c>#else</c> is kept (the
/// dead branch of a literal <c>#if 0</c>/<c>#if 1</c> and of a test of a name bindgen's command line fixes, such as
/// <c>#ifndef __KERNEL__</c>, excepted), and the kernel's annotations are recognised from <c>data/c-knowledge.json</c>,
/// as are object-like macros of the same file that expand to nothing or to an annotation (<c>_struct_page_alignment</c>). Linear in the input and never throws; what it cannot make sense of is skipped and,
/// when it is structural (unmatched braces), listed in <see cref="CFileDeclarations.Problems"/>.
/// </summary>
public static class CDeclarations
{
    private const int MaxNesting = 16;

    /// <summary>The declarations of <paramref name="text"/>, named <paramref name="path"/>, with 1-based lines.</summary>
    public static CFileDeclarations Parse(ReadOnlySpan<byte> text, string path) => Parse(text, path, CKnowledge.Default);

    /// <inheritdoc cref="Parse(ReadOnlySpan{byte}, string)" />
    public static CFileDeclarations Parse(ReadOnlySpan<byte> text, string path, CKnowledge knowledge)
    {
        var lexer = CLexer.Run(text.ToArray(), knowledge);
        var local = lexer.Defines
            .Where(d => d.Parameters is null && (d.Body.Length == 0 || IsAnnotation(FirstWord(d.Body), knowledge)))
            .Select(d => d.Name)
            .ToHashSet(StringComparer.Ordinal);
        var reader = new Reader(lexer, knowledge, local);
        reader.ReadFile();
        var declarations = reader.Declarations;
        foreach (var define in lexer.Defines)
        {
            declarations.Add(new CDeclaration(CDeclarationKind.Macro, define.Name, define.Line, new LineRange(define.Line, define.LastLine), define.Body)
            {
                Parameters = define.Parameters,
            });
        }
        declarations.Sort((a, b) => a.Lines.First != b.Lines.First ? a.Lines.First.CompareTo(b.Lines.First) : a.Line.CompareTo(b.Line));
        var problems = lexer.Problems.Concat(reader.Problems).ToList();
        return new CFileDeclarations(path, declarations, lexer.Includes, problems);
    }

    /// <summary>Only the <c>#include</c> lines of <paramref name="text"/> (comments and dead <c>#if 0</c> code ignored).</summary>
    public static IReadOnlyList<CInclude> Includes(ReadOnlySpan<byte> text) => CLexer.Run(text.ToArray(), CKnowledge.Default).Includes;

    private static string FirstWord(string text)
    {
        var end = 0;
        while (end < text.Length && (char.IsAsciiLetterOrDigit(text[end]) || text[end] == '_'))
            end++;
        return text[..end];
    }

    private static bool IsAnnotation(string word, CKnowledge knowledge) =>
        knowledge.Annotations.Contains(word) || knowledge.AnnotationsWithArguments.Contains(word);

    private sealed class Reader(CLexer lexer, CKnowledge knowledge, HashSet<string> localAnnotations)
    {
        private readonly List<CToken> _t = lexer.Tokens;
        private readonly byte[] _s = lexer.Text;

        public List<CDeclaration> Declarations { get; } = [];

        public List<string> Problems { get; } = [];

        public void ReadFile()
        {
            var unmatched = 0;
            var firstUnmatched = 0;
            foreach (var t in _t)
            {
                if (t.Kind == CTokenKind.Punct && !t.Neutral && t.Match < 0 && (_s[t.Start] == '{' || _s[t.Start] == '}'))
                {
                    if (unmatched++ == 0)
                        firstUnmatched = t.Line;
                }
            }
            if (unmatched > 0)
                Problems.Add($"{unmatched} unmatched brace(s), the first at line {firstUnmatched}");
            var i = 0;
            while (i < _t.Count)
                i = Statement(i);
        }

        /// <summary>Reads the top-level statement starting at <paramref name="s"/>; returns where the next starts.</summary>
        private int Statement(int s)
        {
            var firstBrace = true;
            var j = s;
            while (j < _t.Count)
            {
                var t = _t[j];
                if (t.Kind == CTokenKind.Punct && !t.Neutral)
                {
                    var c = _s[t.Start];
                    switch (c)
                    {
                        case (byte)'(' or (byte)'[' when t.Match > j:
                            if (c == '(' && EndsMacroInvocation(s, j))
                            {
                                Classify(s, t.Match + 1);
                                return t.Match + 1;
                            }
                            j = t.Match + 1;
                            continue;
                        case (byte)';':
                            Classify(s, j);
                            return j + 1;
                        case (byte)'}':
                            // A close at top level: the end of an extern "C" block, or a stray brace.
                            Classify(s, j);
                            return j + 1;
                        case (byte)'{':
                            if (firstBrace)
                            {
                                firstBrace = false;
                                if (j - s == 2 && Is(s, "extern") && _t[s + 1].Kind == CTokenKind.String)
                                    return j + 1; // extern "C" { … }: its contents are top level
                                if (t.Match > j && Definition(s, j))
                                    return t.Match + 1;
                            }
                            if (t.Match > j)
                            {
                                j = t.Match + 1;
                                continue;
                            }
                            break;
                    }
                }
                j++;
            }
            Classify(s, j);
            return j;
        }

        /// <summary>A macro invocation standing alone as a declaration without a semicolon
        /// (<c>DEFINE_GUARD(mutex, …)</c> on its own line, then the next declaration).</summary>
        private bool EndsMacroInvocation(int s, int open)
        {
            if (open != s + 1 || _t[s].Kind != CTokenKind.Identifier)
                return false;
            var name = Text(s);
            if (knowledge.AnnotationsWithArguments.Contains(name) || knowledge.Keywords.Contains(name))
                return false;
            var close = _t[open].Match;
            if (close + 1 >= _t.Count)
                return false;
            var next = _t[close + 1];
            if (next.Line == _t[close].Line)
                return false;
            if (next.Kind == CTokenKind.Punct && !next.Neutral && _s[next.Start] is (byte)';' or (byte)',' or (byte)':' or (byte)'[' or (byte)'=' or (byte)'(' or (byte)'{')
                return false;
            if (next.Kind == CTokenKind.Identifier && (knowledge.Annotations.Contains(Text(close + 1)) || knowledge.AnnotationsWithArguments.Contains(Text(close + 1))))
                return false;
            return true;
        }

        /// <summary>A function definition whose body opens at <paramref name="open"/>; records it when it is one.</summary>
        private bool Definition(int s, int open)
        {
            var view = View(s, open);
            if (view.Count == 0 || IsWord(view[0], "typedef") || knowledge.StatementKeywords.Contains(Text(view[0])))
                return false;
            var close = _t[open].Match;
            // SYSCALL_DEFINE3(…) { … } and the like: a function made by a macro, recorded as the macro's use.
            if (view.Count == 2 && _t[view[0]].Kind == CTokenKind.Identifier && IsPunct(view[1], '('))
            {
                Add(CDeclarationKind.MacroUse, view[0], s, close, Normalize(s, open));
                return true;
            }
            var name = FunctionName(view, out var macroUse);
            if (name < 0 || macroUse)
                return false;
            Declarations.Add(new CDeclaration(CDeclarationKind.Function, Text(name), _t[name].Line, new LineRange(_t[s].Line, _t[close].Line), Normalize(s, open))
            {
                Body = new LineRange(_t[open].Line, _t[close].Line),
                IsStaticInline = Has(s, open, "static") && Any(s, open, knowledge.InlineMarkers),
                IsExtern = Has(s, open, "extern"),
            });
            return true;
        }

        private void Classify(int s, int e)
        {
            if (e <= s)
                return;
            var view = View(s, e);
            if (view.Count == 0)
                return;
            var first = view[0];
            if (_t[first].Kind != CTokenKind.Identifier || knowledge.StatementKeywords.Contains(Text(first)))
                return;
            if (IsWord(first, "typedef"))
            {
                Typedef(view, s, e);
                return;
            }
            if (Aggregate(view, 0, out var keyword, out var body))
            {
                var parent = RecordAggregate(keyword, body, tagFallback: null, depth: 0);
                var after = view.IndexOf(body) + 1;
                if (after < view.Count)
                    Variables(view, after, s, e, s);
                _ = parent;
                return;
            }
            var name = FunctionName(view, out var macroUse);
            if (macroUse)
            {
                Add(CDeclarationKind.MacroUse, name, s, e - 1 < s ? s : e - 1, Normalize(s, e));
                return;
            }
            if (name >= 0)
            {
                Declarations.Add(new CDeclaration(CDeclarationKind.Function, Text(name), _t[name].Line, new LineRange(_t[s].Line, _t[e - 1].Line), Normalize(s, e))
                {
                    IsStaticInline = Has(s, e, "static") && Any(s, e, knowledge.InlineMarkers),
                    IsExtern = Has(s, e, "extern"),
                });
                return;
            }
            if (view.Count == 2 && IsPunct(view[1], '('))
            {
                Add(CDeclarationKind.MacroUse, view[0], s, e - 1, Normalize(s, e));
                return;
            }
            Variables(view, 0, s, e, s);
        }

        private void Add(CDeclarationKind kind, int nameToken, int first, int last, string text) =>
            Declarations.Add(new CDeclaration(kind, Text(nameToken), _t[nameToken].Line, new LineRange(_t[first].Line, _t[last].Line), text));

        private void Typedef(List<int> view, int s, int e)
        {
            var text = Normalize(s, e, elideBodies: true);
            if (Aggregate(view, 1, out var keyword, out var body))
            {
                var after = view.IndexOf(body) + 1;
                var names = Declarators(view, after, view.Count, first: false);
                var fallback = names.Count > 0 ? Text(names[0].Name) : null;
                RecordAggregate(keyword, body, fallback, depth: 0);
                foreach (var d in names)
                    Declarations.Add(new CDeclaration(CDeclarationKind.Typedef, Text(d.Name), _t[d.Name].Line, new LineRange(_t[s].Line, _t[e - 1].Line), text) { IsFunctionPointer = d.FunctionPointer });
                return;
            }
            foreach (var d in Declarators(view, 1, view.Count, first: true))
                Declarations.Add(new CDeclaration(CDeclarationKind.Typedef, Text(d.Name), _t[d.Name].Line, new LineRange(_t[s].Line, _t[e - 1].Line), text) { IsFunctionPointer = d.FunctionPointer });
        }

        private void Variables(List<int> view, int from, int s, int e, int typeStart)
        {
            var text = Normalize(s, e, elideBodies: true);
            var isExtern = Has(s, e, "extern");
            foreach (var d in Declarators(view, from, view.Count, first: from == 0))
            {
                Declarations.Add(new CDeclaration(CDeclarationKind.Variable, Text(d.Name), _t[d.Name].Line, new LineRange(_t[s].Line, _t[e - 1].Line), text)
                {
                    IsExtern = isExtern,
                    IsConst = Has(typeStart, d.Name, "const"),
                });
            }
        }

        /// <summary>Finds <c>struct|union|enum [tag] {</c> in the view from <paramref name="from"/>, before any <c>=</c>.</summary>
        private bool Aggregate(List<int> view, int from, out int keyword, out int body)
        {
            keyword = body = -1;
            for (var v = from; v < view.Count; v++)
            {
                var k = view[v];
                if (IsPunct(k, '=') || IsPunct(k, '('))
                    return false;
                if (!IsWord(k, "struct") && !IsWord(k, "union") && !IsWord(k, "enum"))
                    continue;
                var next = v + 1;
                if (next < view.Count && _t[view[next]].Kind == CTokenKind.Identifier)
                    next++;
                if (next < view.Count && IsPunct(view[next], '{') && _t[view[next]].Match > view[next])
                {
                    keyword = k;
                    body = view[next];
                    return true;
                }
                return false;
            }
            return false;
        }

        /// <summary>Records a struct, union or enum with its members; returns its parent name for fields.</summary>
        private string? RecordAggregate(int keyword, int body, string? tagFallback, int depth)
        {
            var kind = Text(keyword);
            var close = _t[body].Match;
            var tag = keyword + 1 < body ? keyword + 1 : -1;
            string? name = tag >= 0 ? Text(tag) : tagFallback;
            string? parent = tag >= 0 ? $"{kind} {name}" : name;
            var declKind = kind switch { "struct" => CDeclarationKind.Struct, "union" => CDeclarationKind.Union, _ => CDeclarationKind.Enum };
            if (name is not null)
            {
                Declarations.Add(new CDeclaration(declKind, name, _t[tag >= 0 ? tag : keyword].Line, new LineRange(_t[keyword].Line, _t[close].Line), tag >= 0 ? $"{kind} {name}" : $"{kind} {{ … }}")
                {
                    Note = tag >= 0 ? null : "anonymous, named by its typedef",
                });
            }
            if (declKind == CDeclarationKind.Enum)
                EnumValues(body, close, parent ?? "enum");
            else if (parent is not null && depth < MaxNesting)
                Members(body + 1, close, parent, prefix: "", note: null, depth + 1);
            return parent;
        }

        private void EnumValues(int open, int close, string parent)
        {
            var known = new Dictionary<string, long>(StringComparer.Ordinal);
            long? previous = -1;
            var j = open + 1;
            while (j < close)
            {
                var end = j;
                while (end < close && !IsPunct(end, ','))
                    end = _t[end].Match > end && !_t[end].Neutral && _s[_t[end].Start] is (byte)'(' or (byte)'[' or (byte)'{' ? _t[end].Match + 1 : end + 1;
                var view = View(j, Math.Min(end, close));
                if (view.Count > 0 && _t[view[0]].Kind == CTokenKind.Identifier && !(view.Count > 1 && IsPunct(view[1], '(')))
                {
                    var name = view[0];
                    var eq = view.FindIndex(k => IsPunct(k, '='));
                    long? value;
                    var valueText = "";
                    if (eq >= 0)
                    {
                        valueText = Normalize(view[eq] + 1, Math.Min(end, close));
                        value = Evaluate(valueText, known);
                    }
                    else
                    {
                        value = previous + 1;
                    }
                    var text = Text(name);
                    if (value is { } v)
                        known[text] = v;
                    previous = value;
                    Declarations.Add(new CDeclaration(CDeclarationKind.EnumValue, text, _t[name].Line, new LineRange(_t[name].Line, _t[Math.Max(name, Math.Min(end, close) - 1)].Line), valueText)
                    {
                        Parent = parent,
                        Value = value,
                    });
                }
                j = end + 1;
            }
        }

        /// <summary>The value of an enumerator's expression when it is an integer literal, a negated one, a shift
        /// of literals, an earlier enumerator, or an earlier enumerator plus or minus a literal.</summary>
        private static long? Evaluate(string text, Dictionary<string, long> known)
        {
            text = text.Trim();
            if (text.Length > 200)
                return null; // no literal arithmetic is that long; the cap keeps the parenthesis loop linear
            while (text.Length > 2 && text[0] == '(' && text[^1] == ')' && text.IndexOf(')') == text.Length - 1)
                text = text[1..^1].Trim();
            if (Literal(text) is { } literal)
                return literal;
            if (text.StartsWith('-') && Literal(text[1..].Trim()) is { } negated)
                return -negated;
            if (known.TryGetValue(text, out var earlier))
                return earlier;
            foreach (var op in (string[])["<<", "+", "-"])
            {
                var at = text.IndexOf(op, 1, StringComparison.Ordinal);
                if (at <= 0)
                    continue;
                var left = Evaluate(text[..at], known);
                var right = Literal(text[(at + op.Length)..].Trim());
                if (left is null || right is null)
                    return null;
                return op switch { "<<" when right < 63 => left << (int)right, "+" => left + right, "-" => left - right, _ => null };
            }
            return null;
        }

        private static long? Literal(string text)
        {
            var t = text.TrimEnd('u', 'U', 'l', 'L');
            if (t.Length == 0)
                return null;
            if (t.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
                return long.TryParse(t.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex) ? hex : null;
            if (t.Length > 1 && t[0] == '0' && t.All(char.IsAsciiDigit))
            {
                try
                {
                    return Convert.ToInt64(t, 8);
                }
                catch (Exception ex) when (ex is FormatException or OverflowException or ArgumentException)
                {
                    return null;
                }
            }
            return t.All(char.IsAsciiDigit) && long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var dec) ? dec : null;
        }

        /// <summary>The members of a struct or union body between <paramref name="from"/> and <paramref name="to"/>.</summary>
        private void Members(int from, int to, string parent, string prefix, string? note, int depth)
        {
            var j = from;
            while (j < to)
            {
                var m = j;
                while (j < to)
                {
                    var t = _t[j];
                    if (t.Kind == CTokenKind.Punct && !t.Neutral)
                    {
                        var c = _s[t.Start];
                        if (c == ';')
                            break;
                        if (c is (byte)'(' or (byte)'[' or (byte)'{' && t.Match > j && t.Match < to)
                        {
                            if (c == '(' && EndsMacroInvocation(m, j))
                            {
                                j = t.Match + 1;
                                goto member;
                            }
                            j = t.Match + 1;
                            continue;
                        }
                    }
                    j++;
                }
            member:
                Member(m, j, parent, prefix, note, depth);
                j++;
            }
        }

        private void Member(int s, int e, string parent, string prefix, string? note, int depth)
        {
            if (e <= s)
                return;
            var view = View(s, e);
            if (view.Count == 0)
                return;
            var first = view[0];
            if (view.Count >= 2 && _t[first].Kind == CTokenKind.Identifier && IsPunct(view[1], '('))
            {
                var macro = Text(first);
                var open = view[1];
                var args = Arguments(open);
                if (knowledge.MemberMacros.TryGetValue(macro, out var known) && known.NameArgument < args.Count)
                {
                    var nameToken = FirstIdentifier(args[known.NameArgument]);
                    if (known.MembersArgument is { } members && members < args.Count)
                    {
                        if (nameToken >= 0)
                            AddField(prefix + Text(nameToken), nameToken, s, e, $"{macro}({Text(nameToken)}, …)", parent, note);
                        if (depth < MaxNesting)
                            Members(args[members].Start, _t[open].Match, parent, prefix, Join(note, $"in {macro}({(nameToken >= 0 ? Text(nameToken) : "")})"), depth + 1);
                        return;
                    }
                    if (nameToken >= 0)
                    {
                        AddField(prefix + Text(nameToken), nameToken, s, e, Normalize(s, e), parent, Join(note, $"declared by {macro}"));
                        return;
                    }
                }
                if (view.Count == 2 && !knowledge.Keywords.Contains(macro))
                {
                    AddField(prefix + macro, first, s, e, Normalize(s, e), parent, Join(note, "macro invocation; the members it declares are not known"));
                    return;
                }
            }
            if (Aggregate(view, 0, out var keyword, out var body))
            {
                var close = _t[body].Match;
                var hasTag = keyword + 1 < body;
                var kind = Text(keyword);
                var after = view.IndexOf(body) + 1;
                var declarators = Declarators(view, after, view.Count, first: false);
                if (hasTag)
                    RecordAggregate(keyword, body, tagFallback: null, depth);
                else if (kind == "enum")
                    EnumValues(body, close, "enum");
                if (declarators.Count == 0)
                {
                    if (!hasTag && kind != "enum" && depth < MaxNesting)
                        Members(body + 1, close, parent, prefix, Join(note, $"in anonymous {kind} at line {_t[keyword].Line}"), depth + 1);
                    return;
                }
                var type = hasTag ? $"{kind} {Text(keyword + 1)}" : $"{kind} {{ … }}";
                foreach (var d in declarators)
                {
                    var fieldName = prefix + Text(d.Name);
                    AddField(fieldName, d.Name, s, e, $"{type} {Normalize(d.Start, d.End, skip: d.Name)}".TrimEnd(), parent, note);
                    if (!hasTag && kind != "enum" && depth < MaxNesting)
                        Members(body + 1, close, parent, fieldName + ".", note, depth + 1);
                }
                return;
            }
            var list = Declarators(view, 0, view.Count, first: true);
            if (list.Count == 0)
                return;
            var baseEnd = list[0].TypeEnd;
            foreach (var d in list)
            {
                var type = d.Start == s ? Normalize(s, d.End, skip: d.Name) : $"{Normalize(s, baseEnd)} {Normalize(d.Start, d.End, skip: d.Name)}";
                AddField(prefix + Text(d.Name), d.Name, s, e, type.Trim(), parent, note);
            }
        }

        private void AddField(string name, int nameToken, int s, int e, string type, string parent, string? note) =>
            Declarations.Add(new CDeclaration(CDeclarationKind.Field, name, _t[nameToken].Line, new LineRange(_t[s].Line, _t[Math.Max(s, e - 1)].Line), type)
            {
                Parent = parent,
                Note = note,
            });

        private static string? Join(string? a, string b) => a is null ? b : $"{a}, {b}";

        private List<(int Start, int End)> Arguments(int open)
        {
            var close = _t[open].Match;
            var args = new List<(int, int)>();
            var start = open + 1;
            var j = start;
            while (j < close)
            {
                var t = _t[j];
                if (t.Kind == CTokenKind.Punct && !t.Neutral)
                {
                    var c = _s[t.Start];
                    if (c is (byte)'(' or (byte)'[' or (byte)'{' && t.Match > j && t.Match < close)
                    {
                        j = t.Match + 1;
                        continue;
                    }
                    if (c == ',')
                    {
                        args.Add((start, j));
                        start = j + 1;
                    }
                }
                j++;
            }
            args.Add((start, close));
            return args;
        }

        private int FirstIdentifier((int Start, int End) range)
        {
            for (var k = range.Start; k < range.End; k++)
            {
                if (_t[k].Kind == CTokenKind.Identifier && !knowledge.Keywords.Contains(Text(k)))
                    return k;
            }
            return -1;
        }

        private readonly record struct Declarator(int Name, int Start, int End, int TypeEnd, bool FunctionPointer);

        /// <summary>The declarators of view elements <paramref name="from"/>..<paramref name="to"/>, split at top-level
        /// commas. In the first declarator of a declaration the type comes first, so a lone identifier there is a type,
        /// not a name (<c>u32 : 3</c>, <c>struct foo;</c>).</summary>
        private List<Declarator> Declarators(List<int> view, int from, int to, bool first)
        {
            var result = new List<Declarator>();
            var start = from;
            for (var v = from; v <= to; v++)
            {
                if (v < to && !IsPunct(view[v], ','))
                    continue;
                if (v > start && DeclaratorName(view, start, v, first && result.Count == 0 && start == from) is { } d)
                    result.Add(d);
                start = v + 1;
            }
            return result;
        }

        private Declarator? DeclaratorName(List<int> view, int a, int b, bool needsType)
        {
            var last = -1;
            var lastVi = -1;
            var typeEnd = -1;
            var startToken = view[a];
            var endToken = b < view.Count ? view[b] : EndOf(view[b - 1]);
            for (var v = a; v < b; v++)
            {
                var k = view[v];
                var t = _t[k];
                if (t.Kind == CTokenKind.Identifier)
                {
                    var word = Text(k);
                    if (knowledge.Keywords.Contains(word))
                        continue;
                    last = k;
                    lastVi = v;
                    continue;
                }
                if (t.Kind != CTokenKind.Punct)
                    continue;
                var c = _s[t.Start];
                if (c == '*' && typeEnd < 0)
                    typeEnd = k;
                if (c is (byte)'=' or (byte)':' or (byte)'[')
                    break;
                if (c == '(' && t.Match > k)
                {
                    var inner = View(k + 1, t.Match);
                    var parenthesisedName = inner.Count == 1 && _t[inner[0]].Kind == CTokenKind.Identifier && v + 1 < b && (IsPunct(view[v + 1], '(') || IsPunct(view[v + 1], '['));
                    if (inner.Count > 0 && (IsPunct(inner[0], '*') || IsPunct(inner[0], '^') || parenthesisedName))
                    {
                        var name = -1;
                        foreach (var i in inner)
                        {
                            if (IsPunct(i, '(') || IsPunct(i, '['))
                                break;
                            if (_t[i].Kind == CTokenKind.Identifier && !knowledge.Keywords.Contains(Text(i)))
                                name = i;
                        }
                        if (name < 0)
                            return null;
                        var pointer = v + 1 < b && IsPunct(view[v + 1], '(');
                        return new Declarator(name, startToken, endToken, typeEnd >= 0 ? typeEnd : k, pointer);
                    }
                    break;
                }
            }
            if (last < 0)
                return null;
            if (lastVi > a && IsTagKeyword(view[lastVi - 1]))
                return null;
            if (needsType && !HasTypeBefore(view, a, lastVi))
                return null;
            return new Declarator(last, startToken, endToken, typeEnd >= 0 && typeEnd < last ? typeEnd : last, false);
        }

        private int EndOf(int k) => _t[k].Match > k ? _t[k].Match + 1 : k + 1;

        private bool HasTypeBefore(List<int> view, int a, int nameVi)
        {
            for (var v = a; v < nameVi; v++)
            {
                var k = view[v];
                if (_t[k].Kind != CTokenKind.Identifier)
                    continue;
                var word = Text(k);
                if (word is "extern" or "static" or "const" or "volatile" or "register" or "typedef" || knowledge.InlineMarkers.Contains(word))
                    continue;
                return true;
            }
            return false;
        }

        private bool IsTagKeyword(int k) => IsWord(k, "struct") || IsWord(k, "union") || IsWord(k, "enum");

        /// <summary>The name of the function a view declares, or -1. A parenthesised group preceded by an identifier is a
        /// parameter list when a type comes before that identifier; with only storage classes before it
        /// (<c>extern DECLARE_PER_CPU(…)</c>, <c>EXPORT_SYMBOL(…)</c>) it is a macro use.</summary>
        private int FunctionName(List<int> view, out bool macroUse)
        {
            macroUse = false;
            for (var v = 1; v < view.Count; v++)
            {
                var k = view[v];
                if (IsPunct(k, '=') || IsPunct(k, '{'))
                    return -1;
                if (!IsPunct(k, '(') || _t[k].Match < k)
                    continue;
                var inner = k + 1 < _t[k].Match ? k + 1 : -1;
                if (inner >= 0 && (IsPunct(inner, '*') || IsPunct(inner, '^')))
                    return -1;
                var name = view[v - 1];
                if (_t[name].Kind != CTokenKind.Identifier || knowledge.Keywords.Contains(Text(name)))
                    return -1;
                if (IsTagKeyword(v >= 2 ? view[v - 2] : -1))
                    return -1;
                if (!HasTypeBefore(view, 0, v - 1))
                {
                    macroUse = true;
                    return name;
                }
                return name;
            }
            return -1;
        }

        /// <summary>The significant top-level tokens of <paramref name="from"/>..<paramref name="to"/>: annotations and
        /// their argument lists left out, a bracketed group represented by its opening bracket.</summary>
        private List<int> View(int from, int to)
        {
            var view = new List<int>();
            var k = from;
            while (k < to)
            {
                var t = _t[k];
                if (t.Kind == CTokenKind.Identifier)
                {
                    var word = Text(k);
                    if (knowledge.Annotations.Contains(word) || localAnnotations.Contains(word))
                    {
                        k++;
                        continue;
                    }
                    if (knowledge.AnnotationsWithArguments.Contains(word))
                    {
                        k++;
                        if (k < to && IsPunct(k, '(') && _t[k].Match > k)
                            k = Math.Min(to, _t[k].Match + 1);
                        continue;
                    }
                }
                view.Add(k);
                if (t.Kind == CTokenKind.Punct && !t.Neutral && t.Match > k && _s[t.Start] is (byte)'(' or (byte)'[' or (byte)'{')
                    k = Math.Min(to, t.Match + 1);
                else
                    k++;
            }
            return view;
        }

        private string Normalize(int from, int to, bool elideBodies = false, int skip = -1)
        {
            var text = new StringBuilder();
            var space = false;
            for (var k = from; k < to && k < _t.Count; k++)
            {
                var t = _t[k];
                if (k == skip)
                {
                    space = t.SpaceBefore;
                    continue;
                }
                if ((t.SpaceBefore || space) && text.Length > 0)
                    text.Append(' ');
                if (elideBodies && t.Kind == CTokenKind.Punct && !t.Neutral && _s[t.Start] == '{' && t.Match > k)
                {
                    text.Append("{ … }");
                    k = t.Match;
                    space = false;
                    continue;
                }
                space = false;
                text.Append(Encoding.UTF8.GetString(_s, t.Start, t.Length));
            }
            return text.ToString();
        }

        private string Text(int k) => Encoding.UTF8.GetString(_s, _t[k].Start, _t[k].Length);

        private bool Is(int k, string word) => k >= 0 && k < _t.Count && _t[k].Length == word.Length && Matches(_t[k], word);

        private bool IsWord(int k, string word) => k >= 0 && _t[k].Kind == CTokenKind.Identifier && Is(k, word);

        private bool Matches(CToken t, string word)
        {
            for (var i = 0; i < word.Length; i++)
            {
                if (_s[t.Start + i] != word[i])
                    return false;
            }
            return true;
        }

        private bool IsPunct(int k, char c) => k >= 0 && _t[k].Kind == CTokenKind.Punct && !_t[k].Neutral && _s[_t[k].Start] == c;

        private bool Has(int from, int to, string word)
        {
            for (var k = from; k < to; k++)
            {
                if (IsWord(k, word))
                    return true;
            }
            return false;
        }

        private bool Any(int from, int to, System.Collections.Frozen.FrozenSet<string> words)
        {
            for (var k = from; k < to; k++)
            {
                if (_t[k].Kind == CTokenKind.Identifier && words.Contains(Text(k)))
                    return true;
            }
            return false;
        }
    }
}
