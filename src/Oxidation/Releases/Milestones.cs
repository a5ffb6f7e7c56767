using System.Reflection;
using System.Text.Json;
using Oxidation.Model;

namespace Oxidation.Releases;

/// <summary>Mainline release dates from <c>data/kernel-releases.json</c>: a release is dated by the day its series X.Y was
/// released; a release candidate, or a series the file lacks, has no date here (<see cref="Milestones.DateOf"/> then takes the
/// scanned commit's date).</summary>
public static class ReleaseDateCatalog
{
    private static readonly Lazy<Dictionary<string, DateOnly>> Dates = new(Load);

    /// <summary>The mainline releases the catalog dates, oldest first.</summary>
    public static IReadOnlyDictionary<string, DateOnly> Mainline => Dates.Value;

    /// <summary>The date of <paramref name="release"/>'s series (6.12.118 → 6.12's), or null.</summary>
    public static DateOnly? DateOf(string release)
    {
        if (!Release.TryParse(release.TrimStart('v'), out var r) || r.Kind == ReleaseKind.Candidate || r.Numbers.Count < 2)
            return null;
        return Dates.Value.TryGetValue($"{r.Numbers[0]}.{r.Numbers[1]}", out var d) ? d : null;
    }

    private static Dictionary<string, DateOnly> Load()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("kernel-releases.json")
            ?? throw new InvalidOperationException("kernel-releases.json is not embedded");
        using var doc = JsonDocument.Parse(stream);
        return doc.RootElement.GetProperty("releases").EnumerateObject()
            .ToDictionary(p => p.Name, p => DateOnly.ParseExact(p.Value.GetString()!, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), StringComparer.Ordinal);
    }
}

/// <summary>
/// When something first appeared among the stored releases: in <see cref="First"/> and not in <see cref="Before"/>, the stored
/// release before it (null when <see cref="First"/> is the oldest stored, so it may be older). The stored releases need not be
/// consecutive: the milestone lies after <see cref="Before"/> and by <see cref="First"/>. Dates come from <see cref="Milestones.DateOf"/>.
/// </summary>
public sealed record Milestone(string Kind, string Name, string First, string? Before, DateOnly? FirstDate, DateOnly? BeforeDate);

/// <summary>
/// "Since when" (issue 12): the first stored release with each unit, abstraction module, crate, helper file and MAINTAINERS
/// entry covering Rust, and the first with a Rust driver not marked experimental. The one definition: <c>oxidation milestones</c>,
/// the <c>milestone</c> claim form and the report call it.
/// </summary>
public static class Milestones
{
    /// <summary>The kinds, in the order they are listed.</summary>
    public static readonly string[] Kinds = ["stable_driver", "unit", "abstraction", "crate", "helper_file", "maintainers"];

    /// <summary>A Rust driver: a unit registered as a driver, or a module under <c>drivers/</c>; units linked into C objects are not.</summary>
    public static bool IsDriver(RustUnit u) =>
        u.Kind == "driver" || (u.Kind == "module" && u.Files.Any(f => f.StartsWith("drivers/", StringComparison.Ordinal)));

    /// <summary>What each release holds of a kind.</summary>
    public static IEnumerable<string> Items(ScanResult s, string kind) => kind switch
    {
        "stable_driver" => s.Rust.Units.Where(u => IsDriver(u) && !u.Experimental).Select(u => u.Name),
        "unit" => s.Rust.Units.Select(u => u.Name),
        "abstraction" => s.Rust.Bindings.Abstractions.Select(a => a.Module),
        "crate" => ReleaseDiff.Crates(s),
        "helper_file" => s.CBindings?.Helpers.Select(h => h.File) ?? s.Rust.Bindings.Helpers.Select(h => h.File),
        "maintainers" => s.Maintainers.Select(m => m.Entry),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown milestone kind"),
    };

    /// <summary>The milestones over <paramref name="releases"/>, sorted oldest first (<see cref="Release.CompareNames"/>).
    /// <c>stable_driver</c> is one milestone (its name lists the drivers of its first release); the others one per item.</summary>
    public static List<Milestone> Of(IReadOnlyList<ScanResult> releases)
    {
        var sorted = releases.OrderBy(r => r.Release, Comparer<string>.Create(Release.CompareNames)).ToList();
        var result = new List<Milestone>();
        foreach (var kind in Kinds)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < sorted.Count; i++)
            {
                var fresh = Items(sorted[i], kind).Where(seen.Add).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
                if (fresh.Count == 0)
                    continue;
                if (kind == "stable_driver")
                {
                    result.Add(Make(kind, string.Join(", ", fresh), sorted[i], i == 0 ? null : sorted[i - 1]));
                    break;
                }
                result.AddRange(fresh.Select(name => Make(kind, name, sorted[i], i == 0 ? null : sorted[i - 1])));
            }
        }
        return result;
    }

    private static Milestone Make(string kind, string name, ScanResult first, ScanResult? before) =>
        new(kind, name, first.Release, before?.Release, DateOf(first), before is null ? null : DateOf(before));

    /// <summary>A release's date: its series' day from the catalog, else the day of the commit it was scanned from (a tag of
    /// a clone newer than the catalog); null for a tarball or directory of a series the catalog lacks.</summary>
    public static DateOnly? DateOf(ScanResult release) => ReleaseDateCatalog.DateOf(release.Release) ?? release.SourceDate;
}
