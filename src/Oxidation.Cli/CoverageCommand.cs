using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Oxidation.CHeaders;
using Oxidation.Model;
using Oxidation.Releases;
using Oxidation.Store;

namespace Oxidation.Cli;

/// <summary>What <c>oxidation coverage</c> was asked.</summary>
internal sealed record CoverageCommandOptions(string? Release, bool Json, int Top);

/// <summary><c>oxidation coverage</c>: how much of the C API bindgen reads Rust reaches, per header and MAINTAINERS entry, across
/// the scanned releases (issue 14). The figures are <see cref="BindingCoverage"/>'s, read through <see cref="ReachStore.CoverageHistory"/>.</summary>
internal static class CoverageCommand
{
    public static Command Build()
    {
        var release = new Option<string?>("--release") { Description = "The scanned release whose headers and entries are listed (a name or prefix: 6.12; default: the newest)" };
        var json = new Option<bool>("--json") { Description = "Write JSON to standard output" };
        var top = new Option<int>("--top") { Description = "Headers and entries shown in the text tables", DefaultValueFactory = _ => 15, CustomParser = r => CommandLine.WholeNumber(r) ?? 0 };
        var command = new Command("coverage", "Per C header and MAINTAINERS entry: functions, structs and macros bindgen sees vs those Rust reaches, per scanned release")
        {
            release, json, top,
        };
        command.SetAction(parse => Databases.With(parse, db => Run(db, new CoverageCommandOptions(
            parse.GetValue(release), parse.GetValue(json), Math.Max(1, parse.GetValue(top)))), readOnly: true));
        return command;
    }

    public static int Run(OxidationDatabase db, CoverageCommandOptions options)
    {
        var history = ReachStore.CoverageHistory(db);
        if (history.Newest is null)
        {
            Consoles.Fail($"{db.Path}: no release scanned with its C bindings; run oxidation scan first");
            return ExitCodes.BadInput;
        }
        var names = history.Releases.Select(r => r.Release).ToList();
        var name = options.Release is null ? names[^1] : Release.Resolve(options.Release, names);
        if (name is null)
        {
            Consoles.Fail($"release {options.Release} is not scanned in {db.Path}; scanned: {string.Join(", ", names)}");
            return ExitCodes.BadInput;
        }
        var chosen = history.For(name)!;
        if (options.Json)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(new { chosen.Release, history.Releases }, ScanJson.Options));
            return ExitCodes.Ok;
        }
        Render(history, chosen, options.Top);
        return ExitCodes.Ok;
    }

    private static string Share(int reached, int of) => of == 0 ? "-" : (100.0 * reached / of).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    private static string Line(CoverageRow r, string name) =>
        FormattableString.Invariant($"{r.FunctionsReached,5}/{r.Functions,-6} {Share(r.FunctionsReached, r.Functions),6}  {r.StructsReached,4}/{r.Structs,-5} {Share(r.StructsReached, r.Structs),6}  {r.MacrosReached,4}/{r.Macros,-6} {Share(r.MacrosReached, r.Macros),6}  {name}");

    private const string Head = "  functions reached        structs reached        macros reached";

    private static void Render(CoverageHistory history, ReleaseCoverage chosen, int top)
    {
        var o = Console.Out;
        o.WriteLine("what Rust reaches of the C API bindgen reads, by release");
        o.WriteLine(Head + "   headers");
        foreach (var r in history.Releases)
            o.WriteLine(Line(r.Total, FormattableString.Invariant($"{r.Release} ({r.Total.Headers:N0} headers)")));
        Group(history, "headers", chosen, chosen.TopHeaders(top).ToList(), chosen.Headers.Count(h => h.Reached > 0), chosen.Headers.Count);
        Group(history, "MAINTAINERS entries", chosen, chosen.TopSubsystems(top).ToList(), chosen.Subsystems.Count(s => s.Reached > 0), chosen.Subsystems.Count);
        o.WriteLine();
        o.WriteLine(BindingCoverage.MeasurementNote);
    }

    private static void Group(CoverageHistory history, string what, ReleaseCoverage chosen, List<CoverageRow> rows, int reached, int of)
    {
        var o = Console.Out;
        o.WriteLine();
        o.WriteLine(FormattableString.Invariant($"{what} Rust reaches most in {chosen.Release} ({rows.Count} shown of {reached:N0} reached, of {of:N0}), in every release"));
        o.WriteLine(Head + "   release");
        foreach (var row in rows)
        {
            o.WriteLine(row.Name);
            foreach (var r in history.Releases)
                o.WriteLine(r.Find(row.Name) is { } x ? Line(x, r.Release) : $"{"not in the headers bindgen reads",-63}  {r.Release}");
        }
    }
}
