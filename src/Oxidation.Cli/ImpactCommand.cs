using System.CommandLine;
using System.Text.Json;
using Oxidation.CHeaders;
using Oxidation.Model;
using Oxidation.Store;

namespace Oxidation.Cli;

/// <summary>What <c>oxidation impact</c> was asked: a patch or symbols, against a scanned release.</summary>
internal sealed record ImpactCommandOptions(string? Patch, IReadOnlyList<string> Symbols, string? Release, bool Json);

/// <summary>What <c>oxidation coverage</c> was asked.</summary>
internal sealed record CoverageCommandOptions(string? Release, bool Json, int Top);

/// <summary><c>oxidation impact</c> and <c>oxidation coverage</c>: what a C change costs Rust, and how much of the C API Rust reaches (issue 14).</summary>
internal static class ImpactCommand
{
    private static readonly Option<string?> ReleaseOption = new("--release") { Description = "A scanned release (default: the last one scanned)" };

    public static Command Impact()
    {
        var patch = new Argument<string?>("patch") { Description = "A unified diff (git diff, git format-patch, diff -u); - reads standard input", Arity = ArgumentArity.ZeroOrOne };
        var symbol = new Option<string[]>("--symbol") { Description = "A declaration: kmalloc, 'struct device', 'enum phy_state', 'struct phy_device.speed' (repeatable)", AllowMultipleArgumentsPerToken = false };
        var json = new Option<bool>("--json") { Description = "Write JSON to standard output" };
        var command = new Command("impact", "The Rust code a C change touches: per declaration, bindgen visibility, helpers, Rust uses, abstractions, units, maintainers, a verdict")
        {
            patch, symbol, ReleaseOption, json,
        };
        command.SetAction(parse => Databases.With(parse, db => Run(db, new ImpactCommandOptions(
            parse.GetValue(patch), parse.GetValue(symbol) ?? [], parse.GetValue(ReleaseOption), parse.GetValue(json))), readOnly: true));
        return command;
    }

    public static Command Coverage()
    {
        var json = new Option<bool>("--json") { Description = "Write JSON to standard output" };
        var top = new Option<int>("--top") { Description = "Headers and entries shown in the text tables", DefaultValueFactory = _ => 15, CustomParser = r => CommandLine.WholeNumber(r) ?? 0 };
        var command = new Command("coverage", "Per C header and MAINTAINERS entry: functions, structs and macros bindgen sees vs those Rust reaches, per scanned release")
        {
            ReleaseOption, json, top,
        };
        command.SetAction(parse => Databases.With(parse, db => RunCoverage(db, new CoverageCommandOptions(
            parse.GetValue(ReleaseOption), parse.GetValue(json), Math.Max(1, parse.GetValue(top)))), readOnly: true));
        return command;
    }

    /// <summary>The release asked for (or the last scanned), or an error line naming the releases that are scanned.</summary>
    private static (ReleaseReach? Reach, string? Error) Resolve(OxidationDatabase db, string? release)
    {
        var releases = ReachStore.Releases(db);
        if (releases.Count == 0)
            return (null, $"{db.Path}: no release scanned with its C bindings; run oxidation scan first");
        var name = release ?? releases[^1];
        if (!releases.Contains(name))
            return (null, $"release {name} is not scanned in {db.Path}; scanned: {string.Join(", ", releases)}");
        return (ReachStore.Load(db, name), null);
    }

    public static int Run(OxidationDatabase db, ImpactCommandOptions options)
    {
        if (options.Patch is null && options.Symbols.Count == 0)
        {
            Consoles.Fail("impact needs a patch file or at least one --symbol");
            return ExitCodes.BadInput;
        }
        if (options.Patch is not null && options.Symbols.Count > 0)
        {
            Consoles.Fail("impact takes a patch or --symbol, not both");
            return ExitCodes.BadInput;
        }
        UnifiedDiff? diff = null;
        if (options.Patch is { } path)
        {
            try
            {
                var text = path == "-" ? Console.In.ReadToEnd() : File.ReadAllText(path);
                diff = UnifiedDiffParser.Parse(text, path);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Consoles.Fail($"{path}: cannot read ({ex.Message})");
                return ExitCodes.BadInput;
            }
            catch (PatchException ex)
            {
                Consoles.Fail(ex.Message);
                return ExitCodes.BadInput;
            }
        }
        var (reach, error) = Resolve(db, options.Release);
        if (reach is null)
        {
            Consoles.Fail(error!);
            return ExitCodes.BadInput;
        }
        var report = diff is null ? Oxidation.CHeaders.Impact.OfSymbols(reach, options.Symbols) : Oxidation.CHeaders.Impact.OfPatch(reach, diff);
        if (options.Json)
            Console.Out.WriteLine(JsonSerializer.Serialize(report, ScanJson.Options));
        else
            Render(report);
        if (report.Declarations.Count == 0 && report.Problems.Count > 0 && diff is null)
            return ExitCodes.BadInput;
        return report.Problems.Count > 0 && diff is null ? ExitCodes.Partial : ExitCodes.Ok;
    }

    private static void Render(ImpactReport report)
    {
        var o = Console.Out;
        o.WriteLine($"impact on Rust in {report.Release}: {report.Declarations.Count} declaration{(report.Declarations.Count == 1 ? "" : "s")}");
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
            o.WriteLine($"{report.Problems.Count} not placed:");
            foreach (var p in report.Problems)
                o.WriteLine($"  {p.Path}: {p.Reason}");
        }
    }

    private static string Contacts(IReadOnlyList<MaintainersContact> contacts) =>
        string.Join("; ", contacts.Select(c => c.Maintainers.Count == 0 ? c.Entry : $"{c.Entry} ({string.Join(", ", c.Maintainers)})"));

    private static string Clip(string text) => text.Length <= 160 ? text : text[..157] + "...";

    public static int RunCoverage(OxidationDatabase db, CoverageCommandOptions options)
    {
        var (reach, error) = Resolve(db, options.Release);
        if (reach is null)
        {
            Consoles.Fail(error!);
            return ExitCodes.BadInput;
        }
        var coverage = BindingCoverage.Of(reach);
        var history = ReachStore.Releases(db).Select(r => r == reach.Release ? coverage : BindingCoverage.Of(ReachStore.Load(db, r)!))
            .Select(c => c.Total with { Name = c.Release }).ToList();
        if (options.Json)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(new { coverage.Release, coverage.Total, Releases = history, coverage.Headers, coverage.Subsystems }, ScanJson.Options));
            return ExitCodes.Ok;
        }
        var o = Console.Out;
        static string Share(int reached, int of) => of == 0 ? "-" : $"{100.0 * reached / of:0.0}%";
        static string Line(CoverageRow r) =>
            $"{r.FunctionsReached,5}/{r.Functions,-6} {Share(r.FunctionsReached, r.Functions),6}  {r.StructsReached,4}/{r.Structs,-5} {Share(r.StructsReached, r.Structs),6}  {r.MacrosReached,4}/{r.Macros,-6} {Share(r.MacrosReached, r.Macros),6}  {r.Name}";
        const string Head = "  functions reached        structs reached        macros reached";
        o.WriteLine($"what Rust reaches of the C API bindgen reads ({reach.ClosureHeaders.Count} headers), by release");
        o.WriteLine(Head);
        foreach (var r in history)
            o.WriteLine(Line(r));
        o.WriteLine();
        o.WriteLine($"{reach.Release}, headers Rust reaches most (of {coverage.Headers.Count(h => h.FunctionsReached + h.StructsReached + h.MacrosReached > 0)} reached)");
        o.WriteLine(Head);
        foreach (var r in coverage.Headers.OrderByDescending(h => h.FunctionsReached + h.StructsReached + h.MacrosReached).ThenBy(h => h.Name, StringComparer.Ordinal).Take(options.Top))
            o.WriteLine(Line(r));
        o.WriteLine();
        o.WriteLine($"{reach.Release}, MAINTAINERS entries Rust reaches most (of {coverage.Subsystems.Count(h => h.FunctionsReached + h.StructsReached + h.MacrosReached > 0)} reached)");
        o.WriteLine(Head);
        foreach (var r in coverage.Subsystems.Take(options.Top))
            o.WriteLine(Line(r));
        return ExitCodes.Ok;
    }
}
