namespace Oxidation.Kbuild;

/// <summary>How an object file gets built: the Makefile line and every symbol that must be set.</summary>
/// <param name="Object">The object, e.g. <c>drivers/net/phy/ax88796b_rust.o</c>.</param>
/// <param name="Makefile">The Makefile that names it.</param>
/// <param name="Symbol">The one symbol that best says "this is built": the innermost condition or the
/// goal's own symbol, skipping the general <c>RUST</c> switch when a more specific one exists.</param>
/// <param name="Symbols">All symbols on the path, innermost first, negated ones with <c>!</c>.</param>
/// <param name="LinkedInto">The composite object it is linked into, if it is a member of one.</param>
/// <param name="Module">Whether its own goal (or its composite's) can be a module (not only <c>obj-y</c>).</param>
public sealed record KbuildResolution(string Object, string Makefile, string? Symbol, IReadOnlyList<string> Symbols, string? LinkedInto, bool Module);

/// <summary>All Kbuild Makefiles of a tree, and the walk from an object to the symbols that build it.</summary>
public sealed class KbuildTree
{
    private readonly Dictionary<string, KbuildMakefile> _byDirectory = new(StringComparer.Ordinal);

    /// <summary>Adds a parsed Makefile; a <c>Kbuild</c> file wins over a <c>Makefile</c> in the same directory, as in Kbuild.</summary>
    public void Add(KbuildMakefile makefile)
    {
        var dir = makefile.Directory;
        if (_byDirectory.TryGetValue(dir, out var existing) && existing.Path.EndsWith("/Kbuild", StringComparison.Ordinal))
            return;
        _byDirectory[dir] = makefile;
    }

    /// <summary>The Makefile of a directory, if any.</summary>
    public KbuildMakefile? For(string directory) => _byDirectory.GetValueOrDefault(directory);

    /// <summary>Every Makefile.</summary>
    public IEnumerable<KbuildMakefile> Makefiles => _byDirectory.Values;

    /// <summary>
    /// Finds how <paramref name="objectPath"/> (e.g. <c>drivers/block/rnull.o</c>) is built: as a goal of
    /// its directory's Makefile, or as a member (possibly given with a sub-directory path) of a composite
    /// object in that Makefile or an ancestor's, then up through the <c>obj-$(CONFIG_X) += dir/</c> lines
    /// that reach the directory. Null when no Makefile names it.
    /// </summary>
    public KbuildResolution? Resolve(string objectPath)
    {
        var symbols = new List<(string Symbol, bool Specific)>();
        string? linkedInto = null;
        var current = objectPath;
        string? makefilePath = null;
        var module = false;
        for (var depth = 0; depth < 8; depth++)
        {
            var found = FindGoal(current);
            if (found is null)
                return null;
            var (makefile, goal, composite) = found.Value;
            makefilePath ??= makefile.Path;
            AddSymbols(symbols, goal);
            if (composite is null)
            {
                module = goal.Symbol is not null;
                var dir = makefile.Directory;
                AddDirectorySymbols(symbols, dir);
                break;
            }
            linkedInto ??= composite;
            current = (makefile.Directory.Length == 0 ? "" : makefile.Directory + "/") + composite + ".o";
        }
        var ordered = symbols.Select(s => s.Symbol).Distinct().ToList();
        var best = symbols.FirstOrDefault(s => s.Specific && !s.Symbol.StartsWith('!') && s.Symbol != "RUST").Symbol
            ?? symbols.FirstOrDefault(s => !s.Symbol.StartsWith('!')).Symbol;
        return new KbuildResolution(objectPath, makefilePath!, best, ordered, linkedInto, module);
    }

    private static void AddSymbols(List<(string, bool)> symbols, KbuildGoal goal)
    {
        for (var i = goal.Conditions.Count - 1; i >= 0; i--)
            symbols.Add((goal.Conditions[i].ToString(), true));
        if (goal.Symbol is not null)
            symbols.Add((goal.Symbol, true));
    }

    private void AddDirectorySymbols(List<(string, bool)> symbols, string directory)
    {
        var dir = directory;
        while (dir.Length > 0)
        {
            var slash = dir.LastIndexOf('/');
            var parent = slash < 0 ? "" : dir[..slash];
            var name = slash < 0 ? dir : dir[(slash + 1)..];
            var goal = _byDirectory.GetValueOrDefault(parent)?.Objects.FirstOrDefault(g => g.Target == name + "/");
            if (goal is not null)
            {
                for (var i = goal.Conditions.Count - 1; i >= 0; i--)
                    symbols.Add((goal.Conditions[i].ToString(), false));
                if (goal.Symbol is not null)
                    symbols.Add((goal.Symbol, false));
            }
            dir = parent;
        }
    }

    /// <summary>The goal naming an object: in its own directory's Makefile, or in an ancestor's with a relative path.</summary>
    private (KbuildMakefile Makefile, KbuildGoal Goal, string? Composite)? FindGoal(string objectPath)
    {
        var dir = Path.GetDirectoryName(objectPath)?.Replace('\\', '/') ?? "";
        var relative = Path.GetFileName(objectPath);
        while (true)
        {
            if (_byDirectory.TryGetValue(dir, out var makefile))
            {
                var direct = makefile.Objects.FirstOrDefault(g => g.Target == relative);
                if (direct is not null)
                    return (makefile, direct, null);
                foreach (var (composite, members) in makefile.Composites)
                {
                    var member = members.FirstOrDefault(g => g.Target == relative);
                    if (member is not null && composite + ".o" != relative)
                        return (makefile, member, composite);
                }
            }
            if (dir.Length == 0)
                return null;
            var slash = dir.LastIndexOf('/');
            relative = (slash < 0 ? dir : dir[(slash + 1)..]) + "/" + relative;
            dir = slash < 0 ? "" : dir[..slash];
        }
    }
}
