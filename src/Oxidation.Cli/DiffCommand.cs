using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Oxidation.Model;
using Oxidation.Releases;
using Oxidation.Store;

namespace Oxidation.Cli;

/// <summary>What <c>oxidation diff</c> was asked.</summary>
internal sealed record DiffCommandOptions(string From, string To, bool Json);

/// <summary><c>oxidation diff A B</c>: what changed between two stored releases (<see cref="ReleaseDiff"/>).</summary>
internal static class DiffCommand
{
    public static Command Build()
    {
        var from = new Argument<string>("from") { Description = "The older release (6.1, 6.12.118, oldest)" };
        var to = new Argument<string>("to") { Description = "The newer release (6.12, newest)" };
        var json = new Option<bool>("--json") { Description = "Write JSON to standard output" };
        var command = new Command("diff", "What changed between two stored releases: units, experimental flags, abstractions, C headers and helpers, unsafe, MAINTAINERS, Rust lines per area")
        {
            from, to, json,
        };
        command.SetAction(parse => Databases.With(parse, db => Run(db, new DiffCommandOptions(parse.GetValue(from)!, parse.GetValue(to)!, parse.GetValue(json))), readOnly: true));
        return command;
    }

    /// <summary>The stored release a name picks, or the error line naming the stored ones.</summary>
    internal static (string? Release, string? Error) Resolve(OxidationDatabase db, IReadOnlyList<string> releases, string wanted)
    {
        if (releases.Count == 0)
            return (null, $"{db.Path}: no release stored; run oxidation scan or oxidation releases first");
        return Release.Resolve(wanted, releases) is { } name ? (name, null) : (null, $"release {wanted} is not in {db.Path}; stored: {string.Join(", ", releases)}");
    }

    private static int Run(OxidationDatabase db, DiffCommandOptions options)
    {
        var releases = Release.SortNames(ScanStore.Releases(db));
        var (a, errorA) = Resolve(db, releases, options.From);
        var (b, errorB) = Resolve(db, releases, options.To);
        if (a is null || b is null)
        {
            Consoles.Fail((errorA ?? errorB)!);
            return ExitCodes.BadInput;
        }
        if (a == b)
        {
            Consoles.Fail($"{options.From} and {options.To} are the same stored release ({a}); name two different releases (stored: {string.Join(", ", releases)})");
            return ExitCodes.BadInput;
        }
        var diff = ReleaseDiff.Compare(ScanStore.Load(db, a)!, ScanStore.Load(db, b)!);
        if (options.Json)
            Console.Out.WriteLine(JsonSerializer.Serialize(diff, ScanJson.Options));
        else
            Render(diff);
        return ExitCodes.Ok;
    }

    private static void Render(ReleaseDiff d)
    {
        var o = Console.Out;
        string N(long n) => n.ToString("N0", CultureInfo.InvariantCulture);
        string Delta(Change c) => $"{N(c.From),9} {N(c.To),9} {(c.Delta >= 0 ? "+" : "") + N(c.Delta),9}";
        o.WriteLine($"{d.From} → {d.To}");
        void Units(string title, IReadOnlyList<UnitSide> units)
        {
            o.WriteLine();
            o.WriteLine($"units {title}: {units.Count}");
            foreach (var u in units)
                o.WriteLine($"  {u.Name,-24} {u.Kind,-7} {u.Kconfig ?? "-",-28} {(u.Experimental ? "experimental" : ""),-12} {N(u.Code),7} code  {string.Join(" ", u.Files)}");
        }
        Units("added", d.UnitsAdded);
        Units("removed", d.UnitsRemoved);
        o.WriteLine();
        o.WriteLine($"units renamed: {d.UnitsRenamed.Count}");
        foreach (var r in d.UnitsRenamed)
            o.WriteLine($"  {r.From.Name} → {r.To.Name} (same {(r.MatchedBy == "kconfig" ? "Kconfig symbol " + r.To.Kconfig : "files")})");
        void Names(string title, IReadOnlyList<string> names)
        {
            o.WriteLine();
            o.WriteLine($"{title}: {names.Count}");
            if (names.Count > 0)
                o.WriteLine("  " + string.Join(", ", names));
        }
        Names("experimental flag dropped", d.ExperimentalDropped);
        Names("experimental flag added", d.ExperimentalAdded);
        Names("abstraction modules added", d.AbstractionsAdded);
        Names("abstraction modules removed", d.AbstractionsRemoved);
        Names("crates added", d.CratesAdded);
        Names("crates removed", d.CratesRemoved);
        Names("C headers newly in the bindgen closure", d.HeadersAdded);
        Names("C headers no longer in it", d.HeadersRemoved);
        o.WriteLine();
        o.WriteLine($"C helpers added: {d.HelpersAdded.Count}");
        foreach (var g in d.HelpersAdded.GroupBy(h => h.File))
            o.WriteLine($"  {g.Key}: {string.Join(", ", g.Select(h => h.Name))}");
        o.WriteLine($"C helpers removed: {d.HelpersRemoved.Count}");
        foreach (var g in d.HelpersRemoved.GroupBy(h => h.File))
            o.WriteLine($"  {g.Key}: {string.Join(", ", g.Select(h => h.Name))}");
        Names("MAINTAINERS entries covering Rust added", d.MaintainersAdded);
        Names("MAINTAINERS entries covering Rust removed", d.MaintainersRemoved);
        o.WriteLine();
        o.WriteLine($"{"unsafe (kernel Rust)",-22} {d.From,9} {d.To,9} {"change",9}");
        foreach (var (name, c) in new[] { ("blocks", d.Unsafe.Blocks), ("  justified", d.Unsafe.BlocksJustified), ("  TODO", d.Unsafe.BlocksTodo),
            ("  unjustified", d.Unsafe.BlocksUnjustified), ("functions", d.Unsafe.Functions), ("impls", d.Unsafe.Impls) })
            o.WriteLine($"{name,-22} {Delta(c)}");
        o.WriteLine();
        o.WriteLine($"files with more unjustified unsafe blocks: {d.NewUnjustified.Count}");
        foreach (var g in d.NewUnjustified)
            o.WriteLine($"  {g.Path}: {g.From} → {g.To} (lines {string.Join(", ", g.Lines)})");
        o.WriteLine();
        o.WriteLine($"{"Rust code lines",-22} {d.From,9} {d.To,9} {"change",9}");
        o.WriteLine($"{"kernel Rust",-22} {Delta(d.KernelRustCode)}");
        o.WriteLine($"{"vendored crates",-22} {Delta(d.VendoredRustCode)}");
        foreach (var area in d.Areas)
            o.WriteLine($"{"  " + area.Area,-22} {Delta(area.Code)}");
    }
}
