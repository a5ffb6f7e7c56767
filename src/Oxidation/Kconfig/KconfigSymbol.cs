using System.Text;
using System.Text.RegularExpressions;

namespace Oxidation.Kconfig;

/// <summary>
/// A <c>config</c> or <c>menuconfig</c> entry (Documentation/kbuild/kconfig-language.rst): its type,
/// prompt, dependencies (its own <c>depends on</c> plus enclosing <c>if</c> and <c>menu</c> blocks)
/// and help text.
/// </summary>
public sealed record KconfigSymbol(string Name, string File, int Line)
{
    /// <summary><c>bool</c>, <c>tristate</c>, <c>string</c>, <c>int</c>, <c>hex</c>, or null.</summary>
    public string? Type { get; set; }

    /// <summary>The prompt text, if the entry has one.</summary>
    public string? Prompt { get; set; }

    /// <summary>Each dependency expression, own ones first.</summary>
    public List<string> DependsOn { get; } = [];

    /// <summary>Symbols this one selects.</summary>
    public List<string> Selects { get; } = [];

    /// <summary>The help text with its indentation removed.</summary>
    public string Help { get; set; } = "";

    /// <summary>All dependencies joined with <c>&amp;&amp;</c>.</summary>
    public string DependsOnText => string.Join(" && ", DependsOn.Select(d => d.Contains("||", StringComparison.Ordinal) ? $"({d})" : d));

    /// <summary>The symbol names the dependencies mention.</summary>
    public IEnumerable<string> DependencySymbols => DependsOn.SelectMany(d => KconfigFile.Identifiers(d)).Distinct();
}

/// <summary>Reads Kconfig files. Lines it does not understand are passed over; it never throws.</summary>
public static partial class KconfigFile
{
    [GeneratedRegex(@"^\s*(?<kw>config|menuconfig)\s+(?<name>[A-Za-z0-9_]+)\s*$")]
    private static partial Regex EntryStart();

    [GeneratedRegex(@"^\s*(?<type>bool|tristate|string|int|hex|def_bool|def_tristate)\b\s*(?<rest>.*)$")]
    private static partial Regex TypeLine();

    [GeneratedRegex(@"^\s*prompt\s+(?<rest>.*)$")]
    private static partial Regex PromptLine();

    [GeneratedRegex(@"^\s*depends\s+on\s+(?<expr>.+)$")]
    private static partial Regex DependsLine();

    [GeneratedRegex(@"^\s*select\s+(?<sym>[A-Za-z0-9_]+)")]
    private static partial Regex SelectLine();

    [GeneratedRegex(@"^\s*(---help---|help)\s*$")]
    private static partial Regex HelpLine();

    [GeneratedRegex(@"^\s*(?<kw>if|endif|menu|endmenu|choice|endchoice|comment|source|rsource|osource|mainmenu)\b\s*(?<rest>.*)$")]
    private static partial Regex BlockLine();

    [GeneratedRegex(@"\b[A-Z][A-Z0-9_]*\b")]
    private static partial Regex Identifier();

    [GeneratedRegex("^\"(?<text>(?:[^\"\\\\]|\\\\.)*)\"")]
    private static partial Regex Quoted();

    /// <summary>Symbol names in a Kconfig expression (<c>y</c>, <c>m</c>, <c>n</c> excluded).</summary>
    public static IEnumerable<string> Identifiers(string expression) =>
        Identifier().Matches(expression).Select(m => m.Value);

    /// <summary>Parses one Kconfig file.</summary>
    public static List<KconfigSymbol> Parse(string path, ReadOnlySpan<byte> content)
    {
        var symbols = new List<KconfigSymbol>();
        var lines = Encoding.UTF8.GetString(content).Split('\n');
        KconfigSymbol? current = null;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            var trimmed = line.TrimStart();
            if (trimmed.Length == 0 || trimmed.StartsWith('#'))
                continue;
            if (EntryStart().Match(line) is { Success: true } start)
            {
                current = new KconfigSymbol(start.Groups["name"].Value, path, i + 1);
                symbols.Add(current);
                continue;
            }
            // if/menu/choice lines end an entry; their conditions are applied by ParseWithBlocks.
            if (BlockLine().IsMatch(line))
            {
                current = null;
                continue;
            }
            if (current is not null && DependsLine().Match(line) is { Success: true } depends)
            {
                current.DependsOn.Add(depends.Groups["expr"].Value.Trim());
                continue;
            }
            if (current is null)
                continue;
            if (TypeLine().Match(line) is { Success: true } type)
            {
                var name = type.Groups["type"].Value;
                current.Type = name.StartsWith("def_", StringComparison.Ordinal) ? name[4..] : name;
                if (!name.StartsWith("def_", StringComparison.Ordinal) && Quoted().Match(type.Groups["rest"].Value.Trim()) is { Success: true } q)
                    current.Prompt ??= Unescape(q.Groups["text"].Value);
                continue;
            }
            if (PromptLine().Match(line) is { Success: true } prompt && Quoted().Match(prompt.Groups["rest"].Value.Trim()) is { Success: true } pq)
            {
                current.Prompt ??= Unescape(pq.Groups["text"].Value);
                continue;
            }
            if (SelectLine().Match(line) is { Success: true } select)
            {
                current.Selects.Add(select.Groups["sym"].Value);
                continue;
            }
            if (HelpLine().IsMatch(line))
            {
                var helpIndent = Indent(line);
                var help = new StringBuilder();
                var textIndent = -1;
                var j = i + 1;
                for (; j < lines.Length; j++)
                {
                    var h = lines[j].TrimEnd('\r');
                    if (h.Trim().Length == 0)
                    {
                        help.Append('\n');
                        continue;
                    }
                    var indent = Indent(h);
                    if (textIndent < 0)
                        textIndent = indent;
                    if (indent <= helpIndent || indent < textIndent)
                        break;
                    help.Append(h.TrimStart()).Append('\n');
                }
                current.Help = help.ToString().Trim();
                i = j - 1;
            }
        }
        return symbols;
    }

    /// <summary>
    /// How many enclosing blocks give their condition to an entry. The kernel nests a few deep; a file nesting thousands
    /// deep (only a hostile one does) would otherwise cost its number of entries times its depth.
    /// </summary>
    public const int MaxConditionDepth = 64;

    /// <summary>An open <c>if</c>, <c>menu</c> or <c>choice</c>: its condition, and a menu's <c>depends on</c> lines joined once when needed.</summary>
    private sealed class Block(string kind, string? condition)
    {
        private readonly List<string> _parts = condition is null ? [] : [condition];
        private string? _joined;

        public string Kind { get; } = kind;

        public string? Condition => _parts.Count == 0 ? null : _joined ??= string.Join(" && ", _parts);

        public void And(string expression)
        {
            _parts.Add(expression);
            _joined = null;
        }
    }

    /// <summary>
    /// Parses a Kconfig file and adds the conditions of enclosing <c>if</c> and <c>menu</c> blocks to each entry
    /// (the outermost <see cref="MaxConditionDepth"/> of them).
    /// </summary>
    public static List<KconfigSymbol> ParseWithBlocks(string path, ReadOnlySpan<byte> content)
    {
        // A second, light pass: which if/menu conditions enclose each entry's line.
        var symbols = Parse(path, content);
        if (symbols.Count == 0)
            return symbols;
        var lines = Encoding.UTF8.GetString(content).Split('\n');
        var blocks = new List<Block>();
        var next = 0;
        var menuOpen = false;
        for (var i = 0; i < lines.Length && next < symbols.Count; i++)
        {
            if (symbols[next].Line == i + 1)
            {
                var dependsOn = symbols[next].DependsOn;
                var own = dependsOn.Count;
                for (var b = 0; b < Math.Min(blocks.Count, MaxConditionDepth); b++)
                {
                    if (blocks[b].Condition is { } condition && !Contains(dependsOn, own, condition))
                        dependsOn.Add(condition);
                }
                next++;
                menuOpen = false;
                continue;
            }
            var line = lines[i];
            if (BlockLine().Match(line) is { Success: true } block)
            {
                var kw = block.Groups["kw"].Value;
                var rest = block.Groups["rest"].Value.Trim();
                menuOpen = kw == "menu";
                if (kw == "if")
                    blocks.Add(new Block("if", rest));
                else if (kw is "menu" or "choice")
                    blocks.Add(new Block(kw, null));
                else if (kw is "endif" or "endmenu" or "endchoice")
                {
                    var index = blocks.FindLastIndex(b => b.Kind == kw[3..]);
                    if (index >= 0)
                        blocks.RemoveRange(index, blocks.Count - index);
                }
            }
            else if (menuOpen && blocks.Count > 0 && DependsLine().Match(line) is { Success: true } depends)
            {
                blocks[^1].And(depends.Groups["expr"].Value.Trim());
            }
        }
        return symbols;
    }

    /// <summary>
    /// Whether <paramref name="condition"/> is already among the entry's dependencies: its own ones (the first
    /// <paramref name="own"/>), then those added from blocks (at most <see cref="MaxConditionDepth"/>).
    /// </summary>
    private static bool Contains(List<string> dependsOn, int own, string condition)
    {
        for (var k = dependsOn.Count - 1; k >= own; k--)
        {
            if (dependsOn[k] == condition)
                return true;
        }
        return dependsOn.Take(own).Contains(condition, StringComparer.Ordinal);
    }

    private static int Indent(string line)
    {
        var width = 0;
        foreach (var c in line)
        {
            if (c == ' ')
                width++;
            else if (c == '\t')
                width = (width / 8 + 1) * 8;
            else
                break;
        }
        return width;
    }

    private static string Unescape(string s) => s.Replace("\\\"", "\"", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal);
}

/// <summary>Every Kconfig symbol of a tree by name; the first definition with a prompt wins.</summary>
public sealed class KconfigDatabase
{
    private readonly Dictionary<string, KconfigSymbol> _symbols = new(StringComparer.Ordinal);

    /// <summary>Adds the entries of one file.</summary>
    public void Add(IEnumerable<KconfigSymbol> symbols)
    {
        foreach (var symbol in symbols)
        {
            if (!_symbols.TryGetValue(symbol.Name, out var existing) || (existing.Prompt is null && symbol.Prompt is not null))
                _symbols[symbol.Name] = symbol;
        }
    }

    /// <summary>A symbol by name (without <c>CONFIG_</c>).</summary>
    public KconfigSymbol? this[string name] => _symbols.GetValueOrDefault(name);

    /// <summary>All symbols.</summary>
    public IEnumerable<KconfigSymbol> Symbols => _symbols.Values;

    /// <summary>Number of symbols.</summary>
    public int Count => _symbols.Count;
}
