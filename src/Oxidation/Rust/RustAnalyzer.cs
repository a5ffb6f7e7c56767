using System.Text;
using System.Text.RegularExpressions;
using Oxidation.Counting;
using Oxidation.Kbuild;
using Oxidation.Kconfig;
using Oxidation.Model;

namespace Oxidation.Rust;

/// <summary>What the Rust analysis needs from the tree, gathered during the one read of it.</summary>
public sealed record RustInputs(
    IReadOnlyDictionary<string, byte[]> RustSources,
    IReadOnlyDictionary<string, LineStats> RustStats,
    IReadOnlyDictionary<string, byte[]> CSupport,
    KbuildTree Kbuild,
    KconfigDatabase Kconfig,
    IReadOnlySet<string> AllFiles)
{
    /// <summary>The tree's MAINTAINERS entries (empty without the file): they tell kernel-maintained crates from third-party ones.</summary>
    public IReadOnlyList<Maintainers.MaintainersEntry> Maintainers { get; init; } = [];
}

/// <summary>
/// Builds the Rust inventory of a tree: areas, vendored crates, units with their Kconfig symbols,
/// the unsafe audit and the C bindings. Pure: works on the bytes gathered by the scanner.
/// </summary>
public static partial class RustAnalyzer
{
    [GeneratedRegex(@"^\s*#\s*include\s*[<""](?<path>[^>""]+)[>""]", RegexOptions.Multiline)]
    private static partial Regex Include();

    [GeneratedRegex(@"^[^\s#/*][^;{]*?\brust_helper_(?<name>\w+)\s*\([^;]*$", RegexOptions.Multiline)]
    private static partial Regex HelperDefinition();

    [GeneratedRegex(@"[A-Za-z0-9]+")]
    private static partial Regex Word();

    /// <summary>Analyses the Rust files of a tree.</summary>
    public static RustInventory Analyze(RustInputs inputs, RustKnowledge knowledge)
    {
        var paths = inputs.RustSources.Keys.Order(StringComparer.Ordinal).ToList();
        var crates = VendoredCrates(inputs, knowledge);
        string? CrateOf(string path) => Rust.VendoredCrates.CrateOf(path, crates.Keys);
        var area = paths.ToDictionary(p => p, p => CrateOf(p) is not null ? "vendored" : knowledge.AreaOf(p), StringComparer.Ordinal);
        var tokens = paths.ToDictionary(p => p, p => RustLexer.Tokenize(inputs.RustSources[p]), StringComparer.Ordinal);

        var unitMacros = UnitMacros(inputs, tokens, area, knowledge);
        var units = FindUnits(inputs, tokens, area, unitMacros, knowledge);
        var unitOfFile = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var unit in units)
        {
            foreach (var file in unit.Files)
                unitOfFile.TryAdd(file, unit.Name);
        }

        var sites = new List<UnsafeSiteRecord>();
        var files = new List<RustFile>();
        foreach (var path in paths)
        {
            var source = inputs.RustSources[path];
            var stats = inputs.RustStats[path];
            var fileSites = UnsafeAudit.Audit(source, tokens[path], knowledge);
            var docSites = DocTests.Audit(source, tokens[path], knowledge);
            var unit = unitOfFile.GetValueOrDefault(path);
            foreach (var site in fileSites.Concat(docSites))
                sites.Add(new UnsafeSiteRecord(path, site.Line, Name(site.Kind), Name(site.Status), area[path], unit, site.DocTest));
            files.Add(new RustFile(path, area[path], CrateOf(path), unit, stats.Code, stats.Comment, stats.Blank,
                fileSites.Count(s => s.Kind == UnsafeKind.Block),
                fileSites.Count(s => s.Kind == UnsafeKind.Block && s.Status == Justification.Justified),
                fileSites.Count(s => s.Kind == UnsafeKind.Block && s.Status == Justification.Todo),
                fileSites.Count(s => s.Kind == UnsafeKind.Function),
                fileSites.Count(s => s.Kind == UnsafeKind.Function && s.Status == Justification.Documented),
                fileSites.Count(s => s.Kind == UnsafeKind.Impl),
                fileSites.Count(s => s.Kind == UnsafeKind.Trait),
                docSites.Count(s => s.Kind == UnsafeKind.Block),
                BindingsItems(source, tokens[path])));
        }

        var unitsWithCounts = units.Select(u => u with
        {
            Code = u.Files.Sum(f => inputs.RustStats.TryGetValue(f, out var s) ? s.Code : 0),
            UnsafeBlocks = files.Where(f => u.Files.Contains(f.Path)).Sum(f => f.UnsafeBlocks),
        }).ToList();

        var kernelFiles = files.Where(f => f.Area != "vendored").ToList();
        var kernel = Totals(kernelFiles);
        List<VendoredCrate> vendored = [.. crates.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c =>
        {
            var members = files.Where(f => f.Crate == c.Key).ToList();
            var maintainedBy = Rust.VendoredCrates.MaintainedBy(c.Key, inputs.Maintainers);
            return new VendoredCrate(c.Key[(c.Key.LastIndexOf('/') + 1)..], c.Key, c.Value, members.Count,
                members.Sum(f => f.Code), members.Sum(f => f.Comment), members.Sum(f => f.Blank))
            {
                Group = maintainedBy is null ? Rust.VendoredCrates.ThirdParty : Rust.VendoredCrates.KernelMaintained,
                MaintainedBy = maintainedBy,
            };
        })];
        var kernelSites = sites.Where(s => s.Area != "vendored").ToList();
        return new RustInventory(
            kernel,
            Totals(files.Where(f => f.Area == "vendored")),
            [.. files.GroupBy(f => f.Area).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => new RustAreaTotal(g.Key, g.Count(), g.Sum(f => f.Code), g.Sum(f => f.Comment), g.Sum(f => f.Blank)))],
            vendored,
            unitsWithCounts,
            [.. unitMacros.Order(StringComparer.Ordinal)],
            Summarize(kernelFiles, kernelSites, unitsWithCounts),
            Bindings(inputs, files),
            files,
            [])
        {
            Groups =
            [
                new RustGroupTotal("kernel", [], kernel.Files, kernel.Code, kernel.Comment, kernel.Blank),
                .. new[] { Rust.VendoredCrates.KernelMaintained, Rust.VendoredCrates.ThirdParty }.Select(g =>
                {
                    var members = vendored.Where(c => c.Group == g).ToList();
                    return new RustGroupTotal(g, [.. members.Select(c => c.Name)], members.Sum(c => c.Files), members.Sum(c => c.Code), members.Sum(c => c.Comment), members.Sum(c => c.Blank));
                }),
            ],
        };
    }

    private static RustTotals Totals(IEnumerable<RustFile> files)
    {
        var list = files.ToList();
        return new RustTotals(list.Count, list.Sum(f => f.Code), list.Sum(f => f.Comment), list.Sum(f => f.Blank));
    }

    /// <summary>
    /// The abstraction module of a Rust file (docs/measures.md): for a file of the area <c>abstractions</c> under
    /// <c>rust/kernel/</c>, the first component after it without <c>.rs</c> (<c>rust/kernel/net/phy.rs</c> → <c>net</c>,
    /// <c>rust/kernel/sync.rs</c> → <c>sync</c>); null for any other file. The scan's <c>abstractions</c>, the report
    /// and the release diff all take it from here.
    /// </summary>
    public static string? AbstractionModule(string path, string area)
    {
        const string Kernel = "rust/kernel/";
        if (area != "abstractions" || !path.StartsWith(Kernel, StringComparison.Ordinal))
            return null;
        var rest = path[Kernel.Length..];
        var slash = rest.IndexOf('/');
        return slash < 0 ? Path.GetFileNameWithoutExtension(rest) : rest[..slash];
    }

    internal static string Name(UnsafeKind kind) => kind switch
    {
        UnsafeKind.Block => "block",
        UnsafeKind.Function => "fn",
        UnsafeKind.Impl => "impl",
        UnsafeKind.Trait => "trait",
        _ => "extern",
    };

    internal static string Name(Justification status) => status switch
    {
        Justification.Justified => "justified",
        Justification.Todo => "todo",
        Justification.Missing => "unjustified",
        Justification.Documented => "documented",
        _ => "undocumented",
    };

    /// <summary>Crates vendored under <c>rust/</c> with their licence (<see cref="Rust.VendoredCrates"/>).</summary>
    private static Dictionary<string, string?> VendoredCrates(RustInputs inputs, RustKnowledge knowledge)
    {
        var crates = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (path, source) in inputs.RustSources)
        {
            if (Rust.VendoredCrates.CandidateOf(path, knowledge) is { } crate && Rust.VendoredCrates.VendoredLicence(source, knowledge) is { } licence)
                crates[crate] = licence;
        }
        return crates;
    }

    /// <summary>
    /// The macros that declare a unit, learned from their definitions: the <c>module</c> proc macro,
    /// and every <c>macro_rules!</c> whose body invokes one of them (to a fixed point), so
    /// <c>module_pci_driver!</c> is found because it expands to <c>module!</c>.
    /// </summary>
    private static HashSet<string> UnitMacros(RustInputs inputs, Dictionary<string, List<RustToken>> tokens, Dictionary<string, string> area, RustKnowledge knowledge)
    {
        var bodies = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var (path, list) in tokens)
        {
            if (area[path] == "vendored" || !knowledge.InRustDirectory(path))
                continue;
            var s = inputs.RustSources[path].AsSpan();
            var code = list.Where(t => !t.IsComment).ToList();
            for (var i = 0; i + 3 < code.Count; i++)
            {
                if (!code[i].Is(s, "macro_rules"u8) || !code[i + 1].IsPunct(s, '!') || code[i + 2].Kind != TokenKind.Ident)
                    continue;
                var name = Encoding.UTF8.GetString(code[i + 2].Text(s));
                var end = Matching(s, code, i + 3);
                var invoked = bodies.TryGetValue(name, out var set) ? set : bodies[name] = new HashSet<string>(StringComparer.Ordinal);
                for (var k = i + 3; k + 1 < end; k++)
                {
                    if (code[k].Kind == TokenKind.Ident && code[k + 1].IsPunct(s, '!'))
                        invoked.Add(Encoding.UTF8.GetString(code[k].Text(s)));
                }
            }
        }
        var units = new HashSet<string>(StringComparer.Ordinal) { knowledge.UnitProcMacro };
        bool grew;
        do
        {
            grew = false;
            foreach (var (name, invoked) in bodies)
            {
                if (!units.Contains(name) && invoked.Overlaps(units))
                    grew = units.Add(name);
            }
        }
        while (grew);
        return units;
    }

    /// <summary>Index of the token after the group opened at <paramref name="open"/> (or after it if it opens none).</summary>
    private static int Matching(ReadOnlySpan<byte> s, List<RustToken> code, int open)
    {
        if (open >= code.Count)
            return code.Count;
        var depth = 0;
        for (var k = open; k < code.Count; k++)
        {
            if (code[k].Kind != TokenKind.Punct)
            {
                if (depth == 0)
                    return k + 1;
                continue;
            }
            var c = s[code[k].Start];
            if (c is (byte)'{' or (byte)'(' or (byte)'[')
                depth++;
            else if (c is (byte)'}' or (byte)')' or (byte)']')
                depth--;
            if (depth == 0)
                return k + 1;
        }
        return code.Count;
    }

    private static List<RustUnit> FindUnits(RustInputs inputs, Dictionary<string, List<RustToken>> tokens, Dictionary<string, string> area,
        HashSet<string> unitMacros, RustKnowledge knowledge)
    {
        var units = new List<RustUnit>();
        var claimed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (path, list) in tokens.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            if (area[path] is "vendored" or "abstractions" or "macros" or "bindings" or "build")
                continue;
            var s = inputs.RustSources[path].AsSpan();
            var code = list.Where(t => !t.IsComment).ToList();
            for (var i = 0; i + 1 < code.Count; i++)
            {
                if (code[i].Is(s, "macro_rules"u8) && i + 3 < code.Count)
                {
                    i = Matching(s, code, i + 3) - 1; // a local macro definition is not a use
                    continue;
                }
                if (code[i].Kind != TokenKind.Ident || !code[i + 1].IsPunct(s, '!'))
                    continue;
                var macro = Encoding.UTF8.GetString(code[i].Text(s));
                if (!unitMacros.Contains(macro))
                    continue;
                var end = Matching(s, code, i + 2);
                var name = FieldString(s, code, i + 2, end, "name") ?? Path.GetFileNameWithoutExtension(path);
                var files = ModuleFiles(path, inputs, tokens);
                claimed.UnionWith(files);
                units.Add(Describe(name, macro == knowledge.UnitProcMacro ? "module" : "driver", macro, files, path, inputs, knowledge));
                i = end - 1;
            }
        }
        // Rust objects without a module macro that Kbuild links into another object (drm_panic_qr.o into drm.o).
        foreach (var path in tokens.Keys.Order(StringComparer.Ordinal))
        {
            if (claimed.Contains(path) || area[path] is "vendored" or "abstractions" or "macros" or "bindings" or "build" or "tools")
                continue;
            var resolution = inputs.Kbuild.Resolve(Path.ChangeExtension(path, ".o").Replace('\\', '/'));
            if (resolution is null)
                continue;
            var files = ModuleFiles(path, inputs, tokens);
            claimed.UnionWith(files);
            units.Add(Describe(Path.GetFileNameWithoutExtension(path), resolution.LinkedInto is not null ? "linked" : "object", null, files, path, inputs, knowledge));
        }
        return units;
    }

    private static string? FieldString(ReadOnlySpan<byte> s, List<RustToken> code, int from, int to, string field)
    {
        var key = Encoding.UTF8.GetBytes(field);
        for (var k = from; k + 2 < to; k++)
        {
            if (code[k].Is(s, key) && code[k + 1].IsPunct(s, ':') && code[k + 2].Kind == TokenKind.Literal)
            {
                var text = Encoding.UTF8.GetString(code[k + 2].Text(s));
                var q = text.IndexOf('"');
                return q >= 0 && text.EndsWith('"') ? text[(q + 1)..^1] : text;
            }
        }
        return null;
    }

    /// <summary>The crate root and the files its <c>mod name;</c> declarations pull in, recursively (from the tokens already made).</summary>
    private static List<string> ModuleFiles(string root, RustInputs inputs, Dictionary<string, List<RustToken>> tokens)
    {
        var files = new List<string> { root };
        var queue = new Queue<(string File, string ModuleDir)>();
        var rootDir = Path.GetDirectoryName(root)!.Replace('\\', '/');
        queue.Enqueue((root, rootDir));
        while (queue.Count > 0)
        {
            var (file, moduleDir) = queue.Dequeue();
            var s = inputs.RustSources[file].AsSpan();
            var code = tokens[file].Where(t => !t.IsComment).ToList();
            for (var i = 0; i + 2 < code.Count; i++)
            {
                if (!code[i].Is(s, "mod"u8) || code[i + 1].Kind != TokenKind.Ident || !code[i + 2].IsPunct(s, ';'))
                    continue;
                var name = Encoding.UTF8.GetString(code[i + 1].Text(s));
                foreach (var candidate in new[] { $"{moduleDir}/{name}.rs", $"{moduleDir}/{name}/mod.rs" })
                {
                    if (inputs.RustSources.ContainsKey(candidate) && !files.Contains(candidate))
                    {
                        files.Add(candidate);
                        queue.Enqueue((candidate, $"{moduleDir}/{name}"));
                        break;
                    }
                }
            }
        }
        return files;
    }

    private static RustUnit Describe(string name, string kind, string? macro, List<string> files, string root, RustInputs inputs, RustKnowledge knowledge)
    {
        var resolution = inputs.Kbuild.Resolve(Path.ChangeExtension(root, ".o").Replace('\\', '/'));
        var symbol = resolution?.Symbol is { } sym ? inputs.Kconfig[sym] : null;
        var prompt = symbol?.Prompt;
        var help = symbol?.Help ?? "";
        var experimental = knowledge.Experimental.IsMatch(prompt ?? "") || knowledge.Experimental.IsMatch(help);
        var (counterpart, evidence) = symbol is null ? (null, null) : Counterpart(symbol, root, inputs, knowledge);
        return new RustUnit(name, kind, macro, files, resolution?.Symbol, resolution?.Symbols ?? [], prompt,
            symbol?.DependsOnText, experimental, counterpart?.Name, counterpart?.Prompt, evidence,
            resolution?.LinkedInto, resolution?.Makefile, 0, 0);
    }

    /// <summary>
    /// A Rust unit is the counterpart of a C driver when its Kconfig prompt or help says so (a cue such as
    /// "Rust implementation of …" or "reference driver") and the C driver is found either among the symbols
    /// it depends on (building C objects in the same directory) or by the cue's words in a C symbol's prompt.
    /// </summary>
    private static (KconfigSymbol?, string?) Counterpart(KconfigSymbol symbol, string root, RustInputs inputs, RustKnowledge knowledge)
    {
        var text = (symbol.Prompt ?? "") + ".\n" + symbol.Help.Replace('\n', ' ');
        var cue = knowledge.CounterpartCues.Select(c => c.Match(text)).FirstOrDefault(m => m.Success);
        if (cue is null)
            return (null, null);
        var dir = Path.GetDirectoryName(root)!.Replace('\\', '/');
        var makefile = inputs.Kbuild.For(dir);
        foreach (var dependency in symbol.DependencySymbols)
        {
            if (dependency.Contains("RUST", StringComparison.Ordinal) || inputs.Kconfig[dependency] is not { } candidate)
                continue;
            var buildsC = makefile?.Objects.Any(g => g.Symbol == dependency && g.Target.EndsWith(".o", StringComparison.Ordinal)
                && inputs.AllFiles.Contains($"{dir}/{g.Target[..^2]}.c")) ?? false;
            if (buildsC)
                return (candidate, $"\"{cue.Value.Trim()}\"; depends on {dependency}, which builds C objects in {dir}/");
        }
        var words = Word().Matches(cue.Groups["what"].Value).Select(m => m.Value.ToLowerInvariant())
            .Where(w => !knowledge.CounterpartStopWords.Contains(w)).ToHashSet();
        if (words.Count == 0)
            return (null, null);
        var scope = string.Join('/', dir.Split('/').Take(2)) + "/";
        var best = inputs.Kconfig.Symbols
            .Where(c => c.Name != symbol.Name && c.Prompt is not null && c.File.StartsWith(scope, StringComparison.Ordinal)
                && !c.Name.Contains("RUST", StringComparison.Ordinal) && !c.Prompt.Contains("Rust", StringComparison.OrdinalIgnoreCase))
            .Select(c => (Symbol: c, Words: Word().Matches(c.Prompt!).Select(m => m.Value.ToLowerInvariant()).ToHashSet()))
            .Where(c => words.IsSubsetOf(c.Words))
            .OrderBy(c => c.Words.Count).ThenBy(c => c.Symbol.Name, StringComparer.Ordinal)
            .Select(c => c.Symbol)
            .FirstOrDefault();
        return best is null ? (null, null) : (best, $"\"{cue.Value.Trim()}\"; prompt of {best.Name}: \"{best.Prompt}\"");
    }

    /// <summary>The <c>bindings::item</c> names a file uses (also through <c>kernel::bindings</c> or <c>crate::bindings</c>).</summary>
    private static List<string> BindingsItems(ReadOnlySpan<byte> s, List<RustToken> tokens)
    {
        var items = new SortedSet<string>(StringComparer.Ordinal);
        var code = tokens.Where(t => !t.IsComment).ToList();
        for (var i = 0; i + 3 < code.Count; i++)
        {
            if (!code[i].Is(s, "bindings"u8) || !code[i + 1].IsPunct(s, ':') || !code[i + 2].IsPunct(s, ':') || code[i + 3].Kind != TokenKind.Ident)
                continue;
            var qualified = i >= 2 && code[i - 1].IsPunct(s, ':') && code[i - 2].IsPunct(s, ':');
            if (!qualified || (i >= 3 && (code[i - 3].Is(s, "kernel"u8) || code[i - 3].Is(s, "crate"u8))))
                items.Add(Encoding.UTF8.GetString(code[i + 3].Text(s)));
        }
        return [.. items];
    }

    private static BindingsInventory Bindings(RustInputs inputs, List<RustFile> files)
    {
        var headers = new List<BindingsHeader>();
        foreach (var (path, content) in inputs.CSupport.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (!path.EndsWith(".h", StringComparison.Ordinal))
                continue;
            foreach (Match m in Include().Matches(Encoding.UTF8.GetString(content)))
            {
                var include = m.Groups["path"].Value;
                var inTree = new[] { $"include/{include}", $"include/uapi/{include}", $"{Path.GetDirectoryName(path)}/{include}" }
                    .FirstOrDefault(inputs.AllFiles.Contains);
                headers.Add(new BindingsHeader(inTree ?? include, path, inTree is not null));
            }
        }
        var helpers = new List<BindingsHelper>();
        foreach (var (path, content) in inputs.CSupport.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (!path.EndsWith(".c", StringComparison.Ordinal))
                continue;
            var text = Encoding.UTF8.GetString(content);
            foreach (Match m in HelperDefinition().Matches(text))
                helpers.Add(new BindingsHelper("rust_helper_" + m.Groups["name"].Value, path, text.AsSpan(0, m.Index).Count('\n') + 1));
        }
        var abstractions = files.Where(f => AbstractionModule(f.Path, f.Area) is not null)
            .GroupBy(f => AbstractionModule(f.Path, f.Area)!)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new RustAbstraction(g.Key, g.Count(), g.Sum(f => f.Code), g.SelectMany(f => f.BindingsItems).Distinct().Count()))
            .ToList();
        var subsystems = headers.Where(h => h.InTree)
            .GroupBy(h => Subsystem(h.Path))
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new SubsystemCoverage(g.Key, [.. g.Select(h => h.Path).Distinct().Order(StringComparer.Ordinal)]))
            .ToList();
        return new BindingsInventory(headers, helpers, abstractions, subsystems);
    }

    /// <summary>The subsystem of a header: the header itself under include/linux, else its directory under include/.</summary>
    internal static string Subsystem(string header)
    {
        var parts = header.Split('/');
        if (parts.Length >= 3 && parts[0] == "include")
        {
            if (parts[1] == "linux" && parts.Length == 3)
                return Path.GetFileNameWithoutExtension(parts[2]);
            if (parts[1] == "uapi")
                return "uapi/" + (parts.Length > 3 ? parts[2] : Path.GetFileNameWithoutExtension(parts[2]));
            return parts[1];
        }
        return parts.Length > 1 ? parts[0] : Path.GetFileNameWithoutExtension(header);
    }

    private static UnsafeSummary Summarize(List<RustFile> files, List<UnsafeSiteRecord> sites, List<RustUnit> units)
    {
        var compiled = sites.Where(s => !s.DocTest).ToList();
        var docs = sites.Where(s => s.DocTest).ToList();
        var all = UnsafeByGroup.Of("", compiled);
        return new UnsafeSummary(all.Blocks, all.BlocksJustified, all.BlocksTodo, all.Functions, all.FunctionsDocumented,
            all.Impls, all.ImplsJustified, all.Traits, all.ExternBlocks,
            new UnsafeDocTests(docs.Count(s => s.Kind == "block"), docs.Count(s => s.Kind == "block" && s.Status == "justified"),
                docs.Count(s => s.Kind == "fn"), docs.Count(s => s.Kind == "impl"), docs.Count(s => s.Kind == "trait")),
            [.. compiled.GroupBy(s => s.Area).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => UnsafeByGroup.Of(g.Key, g))],
            [.. units.Select(u => UnsafeByGroup.Of(u.Name, compiled.Where(s => u.Files.Contains(s.Path))))],
            [.. sites.OrderBy(s => s.Path, StringComparer.Ordinal).ThenBy(s => s.Line)]);
    }
}
