using System.Text;
using System.Text.RegularExpressions;

namespace Oxidation.Kbuild;

/// <summary>A condition a Kbuild line sits under: <c>ifdef CONFIG_X</c> (positive) or its <c>else</c>/<c>ifndef</c> (negated).</summary>
public sealed record KbuildCondition(string Symbol, bool Negated)
{
    /// <inheritdoc />
    public override string ToString() => Negated ? "!" + Symbol : Symbol;
}

/// <summary>
/// One goal of a Kbuild Makefile: an object or directory in <c>obj-…</c>, or a member of a composite
/// object (<c>foo-y</c>, <c>foo-objs</c>, <c>foo-$(CONFIG_X)</c>). <see cref="Symbol"/> is the Kconfig
/// symbol in the variable name (null for <c>-y</c> and <c>-objs</c>), <see cref="Conditions"/> the
/// enclosing <c>ifdef</c>/<c>ifeq</c> blocks.
/// </summary>
public sealed record KbuildGoal(string Target, string? Symbol, IReadOnlyList<KbuildCondition> Conditions, int Line);

/// <summary>
/// What Oxidation reads from a Kbuild Makefile (Documentation/kbuild/makefiles.rst): the objects and
/// directories it builds, under which symbol, and the members of its composite objects.
/// Variables, functions and includes are not expanded.
/// </summary>
public sealed partial class KbuildMakefile
{
    /// <summary>The Makefile's path in the tree.</summary>
    public required string Path { get; init; }

    /// <summary>The directory it describes ("" for the root).</summary>
    public string Directory => System.IO.Path.GetDirectoryName(Path)?.Replace('\\', '/') ?? "";

    /// <summary>Goals of <c>obj-…</c>: objects (<c>x.o</c>) and directories (<c>dir/</c>).</summary>
    public List<KbuildGoal> Objects { get; } = [];

    /// <summary>Composite object name (without <c>.o</c>) to its members.</summary>
    public Dictionary<string, List<KbuildGoal>> Composites { get; } = new(StringComparer.Ordinal);

    [GeneratedRegex(@"^\s*(?<lhs>[A-Za-z0-9_.\-/]+(?:-\$\([A-Za-z0-9_]+\))?|[A-Za-z0-9_.\-/]+-\$\(\w+\s+[^)]*\))\s*(?<op>:=|\+=|\?=|=)\s*(?<rhs>.*)$")]
    private static partial Regex Assignment();

    [GeneratedRegex(@"\$\(CONFIG_(?<sym>[A-Za-z0-9_]+)\)")]
    private static partial Regex ConfigReference();

    [GeneratedRegex(@"^CONFIG_(?<sym>[A-Za-z0-9_]+)$")]
    private static partial Regex SymbolVariable();

    [GeneratedRegex(@"^\s*(?<kw>ifdef|ifndef|ifeq|ifneq|else|endif)\b\s*(?<rest>.*)$")]
    private static partial Regex Conditional();

    /// <summary>
    /// How many enclosing <c>ifdef</c>/<c>ifeq</c> blocks give their condition to a goal (the outermost ones). Kbuild nests
    /// a few deep; a file nesting thousands deep (only a hostile one does) would otherwise cost its goals times its depth.
    /// </summary>
    public const int MaxConditionDepth = 64;

    /// <summary>Parses a Makefile's text. Never throws: lines it does not understand are passed over.</summary>
    public static KbuildMakefile Parse(string path, ReadOnlySpan<byte> content)
    {
        var makefile = new KbuildMakefile { Path = path };
        var text = Encoding.UTF8.GetString(content);
        var stack = new List<(KbuildCondition? Condition, int Line)>();
        var lineNumber = 0;
        var logical = new StringBuilder();
        var logicalStart = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNumber++;
            var line = raw.TrimEnd('\r');
            if (logical.Length == 0)
                logicalStart = lineNumber;
            if (line.EndsWith('\\'))
            {
                logical.Append(line, 0, line.Length - 1).Append(' ');
                continue;
            }
            logical.Append(line);
            var full = StripComment(logical.ToString());
            logical.Clear();
            makefile.ParseLine(full, logicalStart, stack);
        }
        return makefile;
    }

    private void ParseLine(string line, int lineNumber, List<(KbuildCondition? Condition, int Line)> stack)
    {
        // Tab-indented lines are read too: Kbuild indents assignments inside ifdef blocks with tabs,
        // and recipe lines never look like "name-y += x.o".
        if (string.IsNullOrWhiteSpace(line))
            return;
        var conditional = Conditional().Match(line);
        if (conditional.Success)
        {
            var keyword = conditional.Groups["kw"].Value;
            var rest = conditional.Groups["rest"].Value;
            switch (keyword)
            {
                case "ifdef" or "ifndef":
                    {
                        // Only "ifdef CONFIG_X" names a Kconfig symbol; "ifdef CONFIG_" or "ifdef $(VAR)" adds no known condition.
                        var named = SymbolVariable().Match(rest.Trim());
                        KbuildCondition? c = named.Success ? new KbuildCondition(named.Groups["sym"].Value, keyword == "ifndef") : null;
                        stack.Add((c, lineNumber));
                        break;
                    }
                case "ifeq" or "ifneq":
                    stack.Add((EqualityCondition(rest, keyword == "ifneq"), lineNumber));
                    break;
                case "else":
                    if (stack.Count > 0)
                    {
                        var top = stack[^1];
                        stack[^1] = (top.Condition is null ? null : top.Condition with { Negated = !top.Condition.Negated }, top.Line);
                        // "else ifdef CONFIG_Y" opens a nested condition closed by the same endif
                        var chained = Conditional().Match(rest);
                        if (chained.Success && chained.Groups["kw"].Value is "ifdef" or "ifndef" or "ifeq" or "ifneq")
                        {
                            ParseLine(rest, lineNumber, stack);
                            stack[^1] = (stack[^1].Condition, -1); // closed by the same endif
                        }
                    }
                    break;
                case "endif":
                    // pops the block and every "else ifdef" chained onto it
                    while (stack.Count > 0)
                    {
                        var popped = stack[^1];
                        stack.RemoveAt(stack.Count - 1);
                        if (popped.Line != -1)
                            break;
                    }
                    break;
            }
            return;
        }
        var assignment = Assignment().Match(line);
        if (!assignment.Success)
            return;
        var lhs = assignment.Groups["lhs"].Value;
        var dash = lhs.LastIndexOf('-');
        if (lhs.Contains("$(", StringComparison.Ordinal))
            dash = lhs.IndexOf("-$(", StringComparison.Ordinal);
        if (dash <= 0)
            return;
        var name = lhs[..dash];
        var suffix = lhs[(dash + 1)..];
        string? symbol;
        if (suffix is "y" or "objs" or "m")
            symbol = null;
        else if (ConfigReference().Match(suffix) is { Success: true } m)
            symbol = m.Groups["sym"].Value;
        else
            return; // lib-, extra-, hostprogs- and other goals are not objects of the kernel image or modules
        var conditions = stack.Take(MaxConditionDepth).Where(s => s.Condition is not null).Select(s => s.Condition!).ToArray();
        var targets = assignment.Groups["rhs"].Value.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (name == "obj")
        {
            foreach (var target in targets)
            {
                if (target.EndsWith(".o", StringComparison.Ordinal) || target.EndsWith('/'))
                    Objects.Add(new KbuildGoal(target, symbol, conditions, lineNumber));
            }
            return;
        }
        if (name is "lib" or "extra" or "always" or "subdir" or "targets" or "clean" or "hostprogs" or "userprogs" or "ccflags" or "asflags" or "ldflags" or "subdir-ccflags")
            return;
        foreach (var target in targets)
        {
            if (!target.EndsWith(".o", StringComparison.Ordinal))
                continue;
            if (!Composites.TryGetValue(name, out var members))
                Composites[name] = members = [];
            members.Add(new KbuildGoal(target, symbol, conditions, lineNumber));
        }
    }

    /// <summary><c>ifeq ($(CONFIG_X),y)</c> and friends; other comparisons add no known condition.</summary>
    private static KbuildCondition? EqualityCondition(string rest, bool negated)
    {
        var m = ConfigReference().Match(rest);
        if (!m.Success)
            return null;
        // ifeq ($(CONFIG_X),) tests for "unset": the opposite polarity.
        var compact = rest.Replace(" ", "", StringComparison.Ordinal);
        var testsEmpty = compact.Contains("),)", StringComparison.Ordinal) || compact.Contains(",)", StringComparison.Ordinal) && !compact.Contains(",y)", StringComparison.Ordinal) && !compact.Contains(",m)", StringComparison.Ordinal);
        return new KbuildCondition(m.Groups["sym"].Value, negated ^ testsEmpty);
    }

    private static string StripComment(string line)
    {
        for (var i = 0; i < line.Length; i++)
        {
            if (line[i] == '#' && (i == 0 || line[i - 1] != '\\'))
                return line[..i];
        }
        return line;
    }
}
