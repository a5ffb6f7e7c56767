using System.CommandLine;
using System.Text.Json;
using Oxidation.CHeaders;
using Oxidation.Git;
using Oxidation.Model;
using Oxidation.Scanning;
using Oxidation.Store;
using Oxidation.Tree;

namespace Oxidation.Cli;

/// <summary>What <c>oxidation impact</c> was asked: a patch, a commit or symbols, against a scanned release or a tree.</summary>
/// <param name="Patch">A patch file, <c>-</c> for standard input.</param>
/// <param name="Symbols">Declarations named with <c>--symbol</c>.</param>
/// <param name="Release">A release in the database.</param>
/// <param name="Json">JSON to standard output.</param>
/// <param name="Tree">A directory or tarball holding the tree the patch applies to.</param>
/// <param name="Repository">A git repository (<c>--repo</c>).</param>
/// <param name="Rev">The revision of <see cref="Repository"/> the patch applies to.</param>
/// <param name="Commit">A commit of <see cref="Repository"/>: its diff against its first parent.</param>
/// <param name="Validate">Check the impact of the C part of every commit changing include/ and rust/ against the Rust files it changes.</param>
/// <param name="Since">With <see cref="Validate"/>: commits not reachable from this revision.</param>
/// <param name="Until">With <see cref="Validate"/>: commits reachable from this revision (default HEAD).</param>
/// <param name="Parallelism">Threads reading a tree.</param>
internal sealed record ImpactCommandOptions(
    string? Patch, IReadOnlyList<string> Symbols, string? Release, bool Json,
    string? Tree = null, string? Repository = null, string? Rev = null, string? Commit = null,
    bool Validate = false, string? Since = null, string? Until = null, int Parallelism = 1)
{
    /// <summary>The declarations come from the database: no tree is named, or <c>--commit</c> with <c>--release</c>.</summary>
    public bool FromDatabase => Tree is null && Rev is null && (Commit is null || Release is not null) && !Validate;

    /// <summary>What is wrong with the combination of options, or null.</summary>
    public string? Error()
    {
        if (Validate)
        {
            if (Repository is null)
                return "impact --validate needs --repo REPO";
            if (Patch is not null || Symbols.Count > 0 || Commit is not null || Rev is not null || Tree is not null || Release is not null)
                return "impact --validate takes --repo, --since, --until and --json only";
            return null;
        }
        if (Since is not null || Until is not null)
            return "--since and --until go with --validate";
        if (Tree is not null && Repository is not null)
            return "impact takes --tree or --repo, not both";
        if (Commit is not null)
        {
            if (Repository is null)
                return "--commit needs --repo REPO";
            if (Rev is not null)
                return "--commit compares the commit with its parent; --rev is for a patch file";
            if (Patch is not null || Symbols.Count > 0)
                return "impact takes a patch, --commit or --symbol, not two of them";
            return null;
        }
        if (Repository is not null && Rev is null)
            return "--repo needs --commit SHA, --rev R (the tree a patch applies to) or --validate";
        if (Rev is not null && Repository is null)
            return "--rev needs --repo REPO";
        if ((Tree is not null || Rev is not null) && Release is not null)
            return "impact reads declarations from --release or from a tree (--tree, --rev), not both";
        if (Patch is null && Symbols.Count == 0)
            return "impact needs a patch file, --commit or at least one --symbol";
        if (Patch is not null && Symbols.Count > 0)
            return "impact takes a patch or --symbol, not both";
        return null;
    }
}

/// <summary><c>oxidation impact</c>: what a C change costs Rust (issue 14); <c>oxidation coverage</c> is <see cref="CoverageCommand"/>.</summary>
internal static class ImpactCommand
{
    private static readonly Option<string?> ReleaseOption = new("--release") { Description = "A scanned release (default: the last one scanned)" };

    public static Command Impact()
    {
        var patch = new Argument<string?>("patch") { Description = "A unified diff (git diff, git format-patch, diff -u); - reads standard input", Arity = ArgumentArity.ZeroOrOne };
        var symbol = new Option<string[]>("--symbol") { Description = "A declaration: kmalloc, 'struct device', 'enum phy_state', 'struct phy_device.speed' (repeatable)", AllowMultipleArgumentsPerToken = false };
        var json = new Option<bool>("--json") { Description = "Write JSON to standard output" };
        var release = new Option<string?>("--release")
        {
            Description = "A scanned release (default: the last one scanned). With --commit: use its stored scan instead of reading the parent's tree, "
                + "which is right only when the parent has the changed files as the release has them (a file whose size differs is listed as a problem)",
        };
        var tree = new Option<string?>("--tree") { Description = "Read the declarations from this tree (a directory or tarball) the patch applies to, not from the database" };
        var repo = new Option<string?>("--repo") { Description = "A git repository (a work tree or a bare clone), with --commit, --rev or --validate" };
        var rev = new Option<string?>("--rev") { Description = "With --repo: the tag or commit whose tree the patch applies to, read from git objects" };
        var commit = new Option<string?>("--commit")
        {
            Description = "With --repo: the commit's diff against its first parent, the declarations read from the parent's tree in git objects "
                + "(the tree the diff's line numbers refer to; only the files the scan keeps are read)",
        };
        var validate = new Option<bool>("--validate") { Description = "With --repo: for every commit changing include/ and rust/, does the impact of its C part name the Rust files it changes? Precision and recall" };
        var since = new Option<string?>("--since") { Description = "With --validate: leave out commits reachable from this revision" };
        var until = new Option<string?>("--until") { Description = "With --validate: commits reachable from this revision (default HEAD)" };
        var jobs = new Option<int>("--jobs", "-j") { Description = "Threads reading a tree (default: one per core)", DefaultValueFactory = _ => Environment.ProcessorCount, CustomParser = r => CommandLine.WholeNumber(r) ?? 0 };
        var command = new Command("impact", "The Rust code a C change touches: per declaration, bindgen visibility, helpers, Rust uses, abstractions, units, maintainers, a verdict")
        {
            patch, symbol, release, tree, repo, rev, commit, validate, since, until, jobs, json,
        };
        command.SetAction(parse =>
        {
            var options = new ImpactCommandOptions(
                parse.GetValue(patch), parse.GetValue(symbol) ?? [], parse.GetValue(release), parse.GetValue(json),
                parse.GetValue(tree), parse.GetValue(repo), parse.GetValue(rev), parse.GetValue(commit),
                parse.GetValue(validate), parse.GetValue(since), parse.GetValue(until), Math.Max(1, parse.GetValue(jobs)));
            if (options.Error() is { } error)
            {
                Consoles.Fail(error);
                return ExitCodes.BadInput;
            }
            if (options.Validate)
                return ImpactValidationCommand.Run(options);
            return options.FromDatabase ? Databases.With(parse, db => Run(db, options), readOnly: true) : Run(null, options);
        });
        return command;
    }

    /// <summary>The release asked for (or the last scanned), or an error line naming the releases that are scanned.</summary>
    private static (ReleaseReach? Reach, string? Error) Resolve(OxidationDatabase db, string? release, IReadOnlyCollection<string>? headers = null)
    {
        var releases = ReachStore.Releases(db);
        if (releases.Count == 0)
            return (null, $"{db.Path}: no release scanned with its C bindings; run oxidation scan first");
        var name = release ?? releases[^1];
        if (!releases.Contains(name))
            return (null, $"release {name} is not scanned in {db.Path}; scanned: {string.Join(", ", releases)}");
        return (ReachStore.Load(db, name, headers), null);
    }

    /// <summary>Runs <c>impact</c>; <paramref name="db"/> is null when the declarations come from a tree.</summary>
    public static int Run(OxidationDatabase? db, ImpactCommandOptions options)
    {
        if (options.Error() is { } usage)
        {
            Consoles.Fail(usage);
            return ExitCodes.BadInput;
        }
        UnifiedDiff? diff = null;
        CommitPatch? commit = null;
        try
        {
            if (options.Commit is { } rev)
            {
                commit = CommitPatches.Of(options.Repository!, rev);
                diff = commit.Text.Length == 0
                    ? new UnifiedDiff([], [new ImpactProblem(commit.Commit, "the commit changes no file (its tree equals its parent's)")])
                    : UnifiedDiffParser.Parse(commit.Text, $"{options.Repository}@{commit.Commit[..12]}");
            }
            else if (options.Patch is { } path)
            {
                var text = path == "-" ? Console.In.ReadToEnd() : File.ReadAllText(path);
                diff = UnifiedDiffParser.Parse(text, path);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Consoles.Fail($"{options.Patch}: cannot read ({ex.Message})");
            return ExitCodes.BadInput;
        }
        catch (Exception ex) when (ex is PatchException or SourceTreeException)
        {
            Consoles.Fail(ex.Message);
            return ExitCodes.BadInput;
        }

        ReleaseReach reach;
        string source = "database";
        if (db is not null)
        {
            // A patch reads only its own files' declarations.
            var (stored, error) = Resolve(db, options.Release, diff?.Files.Select(f => f.OldPath).ToList());
            if (stored is null)
            {
                Consoles.Fail(error!);
                return ExitCodes.BadInput;
            }
            reach = stored;
        }
        else
        {
            try
            {
                if (options.Tree is { } treePath)
                {
                    reach = Scanner.Reach(include => SourceTrees.Open(treePath, include), options.Parallelism);
                    source = treePath;
                }
                else
                {
                    var at = commit?.Parent ?? options.Rev!;
                    reach = Scanner.Reach(include => GitSourceTree.Open(options.Repository!, at, include: include), options.Parallelism);
                    source = $"{options.Repository}@{(commit?.Parent ?? ResolvedCommit(options.Repository!, at))}";
                }
            }
            catch (ScanException ex)
            {
                Consoles.Fail(ex.Message);
                return ExitCodes.BadInput;
            }
        }

        var report = diff is null ? Oxidation.CHeaders.Impact.OfSymbols(reach, options.Symbols) : Oxidation.CHeaders.Impact.OfPatch(reach, diff);
        if (db is not null && commit is not null)
            report = report with { Problems = [.. report.Problems, .. SizeMismatches(db, reach.Release, options.Repository!, commit)] };
        report = report with { Source = source, Commit = commit?.Commit };
        if (options.Json)
            Console.Out.WriteLine(JsonSerializer.Serialize(report, ScanJson.Options));
        else
            Render(report);
        if (diff is not null)
            return report.Problems.Any(p => p.Incomplete) ? ExitCodes.Partial : ExitCodes.Ok;
        if (report.Declarations.Count == 0 && report.Problems.Count > 0)
            return ExitCodes.BadInput;
        return report.Problems.Count > 0 ? ExitCodes.Partial : ExitCodes.Ok;
    }

    private static string ResolvedCommit(string repository, string rev) => GitSourceTree.Open(repository, rev, include: _ => false).Commit;

    /// <summary>With <c>--commit</c> and <c>--release</c>: the changed files whose size in the commit's parent differs from the
    /// stored release's, where the diff's line numbers may not be the release's.</summary>
    private static IEnumerable<ImpactProblem> SizeMismatches(OxidationDatabase db, string release, string repository, CommitPatch commit)
    {
        var stored = ScanStore.FileSizes(db, release);
        var sizes = CommitPatches.Sizes(repository, commit.Parent, commit.Files.Select(f => f.OldPath).OfType<string>());
        foreach (var (path, size) in sizes)
        {
            if (stored.TryGetValue(path, out var bytes) && bytes != size)
                yield return new ImpactProblem(path, $"{size:N0} bytes in the parent {commit.Parent[..12]}, {bytes:N0} in {release}: the patch's line numbers may not be the release's (drop --release to read the parent's tree)") { Incomplete = true };
        }
    }

    private static void Render(ImpactReport report)
    {
        var o = Console.Out;
        var of = report.Commit is null ? "" : $" of {report.Commit[..12]}";
        var at = report.Source == "database" ? "" : $" ({report.Source})";
        o.WriteLine($"impact{of} on Rust in {report.Release}{at}: {report.Declarations.Count} declaration{(report.Declarations.Count == 1 ? "" : "s")}");
        foreach (var d in report.Declarations)
        {
            o.WriteLine();
            var name = d.Kind is "struct" or "union" or "enum" ? $"{d.Kind} {d.Name}" : d.Parent is null ? d.Name : $"{d.Parent}.{d.Name}";
            o.WriteLine($"{name} ({d.Kind}, {d.Header}:{d.Line}): {d.Verdict}");
            o.WriteLine($"  {Clip(d.Text)}");
            if (d.Helpers.Count > 0)
                o.WriteLine($"  wrapped by: {string.Join(", ", d.Helpers)}");
            foreach (var u in d.Uses)
                o.WriteLine($"  {u.Path}:{u.Line}  {u.Via} {u.Item}{(u.Helper is null ? "" : $" ({u.Helper})")}");
            if (d.Modules.Count > 0)
                o.WriteLine($"  abstractions: {string.Join(", ", d.Modules)}");
            if (d.Units.Count > 0)
                o.WriteLine($"  units: {string.Join(", ", d.Units)}");
            if (d.CSide.Count > 0)
                o.WriteLine($"  C side: {Contacts(d.CSide)}");
            if (d.RustSide.Count > 0)
                o.WriteLine($"  Rust side: {Contacts(d.RustSide)}");
        }
        if (report.Problems.Count > 0)
        {
            o.WriteLine();
            var incomplete = report.Problems.Count(p => p.Incomplete);
            o.WriteLine($"{report.Problems.Count} not placed{(incomplete == 0 ? "" : $" ({incomplete} leave{(incomplete == 1 ? "s" : "")} the answer incomplete, marked !)")}:");
            foreach (var p in report.Problems)
                o.WriteLine($"{(p.Incomplete ? "! " : "  ")}{p.Path}: {p.Reason}");
        }
    }

    private static string Contacts(IReadOnlyList<MaintainersContact> contacts) =>
        string.Join("; ", contacts.Select(c => c.Maintainers.Count == 0 ? c.Entry : $"{c.Entry} ({string.Join(", ", c.Maintainers)})"));

    private static string Clip(string text) => text.Length <= 160 ? text : text[..157] + "...";
}
