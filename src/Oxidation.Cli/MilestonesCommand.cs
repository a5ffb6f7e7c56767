using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Oxidation.Model;
using Oxidation.Releases;
using Oxidation.Store;

namespace Oxidation.Cli;

/// <summary><c>oxidation milestones</c>: since when, over every stored release (<see cref="Milestones"/>).</summary>
internal static class MilestonesCommand
{
    public static Command Build()
    {
        var kind = new Option<string?>("--kind") { Description = $"Only one kind: {string.Join(", ", Milestones.Kinds)}" };
        kind.AcceptOnlyFromAmong(Milestones.Kinds);
        var json = new Option<bool>("--json") { Description = "Write JSON to standard output" };
        var command = new Command("milestones", "Since when: the first stored release with each unit, abstraction module, crate, helper file and MAINTAINERS entry, and the first Rust driver not marked experimental")
        {
            kind, json,
        };
        command.SetAction(parse => Databases.With(parse, db => Run(db, parse.GetValue(kind), parse.GetValue(json)), readOnly: true));
        return command;
    }

    private static int Run(OxidationDatabase db, string? kind, bool json)
    {
        var releases = Release.SortNames(ScanStore.Releases(db));
        if (releases.Count == 0)
        {
            Consoles.Fail($"{db.Path}: no release stored; run oxidation scan or oxidation releases first");
            return ExitCodes.BadInput;
        }
        var scans = releases.Select(r => ScanStore.Load(db, r)!).ToList();
        var dates = scans.ToDictionary(s => s.Release, Milestones.DateOf, StringComparer.Ordinal);
        var milestones = Milestones.Of(scans).Where(m => kind is null || m.Kind == kind).ToList();
        if (json)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(new { Releases = releases.Select(r => new { Release = r, Date = dates[r] }), Milestones = milestones }, ScanJson.Options));
            return ExitCodes.Ok;
        }
        var o = Console.Out;
        static string D(DateOnly? d) => d?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "no date";
        o.WriteLine($"stored releases: {string.Join(", ", releases.Select(r => $"{r} ({D(dates[r])})"))}");
        o.WriteLine("a milestone lies after the stored release before it (\"after\") and by the first stored release with it (\"first in\")");
        foreach (var group in milestones.GroupBy(m => m.Kind))
        {
            o.WriteLine();
            o.WriteLine(group.Key == "stable_driver" ? "first Rust driver not marked experimental" : $"{group.Key} ({group.Count()})");
            foreach (var m in group)
                o.WriteLine($"  {m.Name,-44} first in {m.First,-10} {D(m.FirstDate),-10}  after {(m.Before is null ? "(oldest stored)" : $"{m.Before} {D(m.BeforeDate)}")}");
        }
        return ExitCodes.Ok;
    }
}
