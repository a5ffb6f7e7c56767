using Oxidation.Model;
using Oxidation.Releases;

namespace Oxidation.CHeaders;

/// <summary>Functions, structs and macros declared in a group of headers and how many of them Rust reaches.</summary>
public sealed record CoverageRow(string Name, int Headers, int Functions, int FunctionsReached, int Structs, int StructsReached, int Macros, int MacrosReached)
{
    /// <summary>Functions, structs and macros reached, together (the order of the "reached most" tables).</summary>
    public int Reached => FunctionsReached + StructsReached + MacrosReached;

    /// <summary>The declared and reached counts of one kind: <c>function</c>, <c>struct</c> or <c>macro</c>.</summary>
    public (int Declared, int Reached) Of(string kind) => kind switch
    {
        "function" => (Functions, FunctionsReached),
        "struct" => (Structs, StructsReached),
        "macro" => (Macros, MacrosReached),
        _ => throw new ArgumentException($"{kind}: not a kind coverage counts (function, struct, macro)", nameof(kind)),
    };

    /// <summary>The share (0–1) of <paramref name="kind"/> reached, or null when the group declares none.</summary>
    public double? Share(string kind)
    {
        var (declared, reached) = Of(kind);
        return declared == 0 ? null : (double)reached / declared;
    }
}

/// <summary>The coverage of one release: all of the closure, per header (those with any function, struct or macro), per
/// MAINTAINERS entry covering a header.</summary>
public sealed record ReleaseCoverage(string Release, CoverageRow Total, IReadOnlyList<CoverageRow> Headers, IReadOnlyList<CoverageRow> Subsystems)
{
    /// <summary>The headers Rust reaches most: by declarations reached, then name; those reaching nothing left out.</summary>
    public IEnumerable<CoverageRow> TopHeaders(int count) => Top(Headers, count);

    /// <summary>The MAINTAINERS entries Rust reaches most, ordered as <see cref="TopHeaders"/>.</summary>
    public IEnumerable<CoverageRow> TopSubsystems(int count) => Top(Subsystems, count);

    /// <summary>The row of a header (<c>include/linux/phy.h</c>) or MAINTAINERS entry, or null when this release's closure has none.</summary>
    public CoverageRow? Find(string name) =>
        Headers.FirstOrDefault(h => h.Name == name) ?? Subsystems.FirstOrDefault(s => s.Name == name);

    private static IEnumerable<CoverageRow> Top(IEnumerable<CoverageRow> rows, int count) =>
        rows.Where(r => r.Reached > 0).OrderByDescending(r => r.Reached).ThenBy(r => r.Name, StringComparer.Ordinal).Take(count);
}

/// <summary>The coverage of every release in the database, oldest first (by version, <see cref="Release.CompareNames"/>).</summary>
public sealed record CoverageHistory(IReadOnlyList<ReleaseCoverage> Releases)
{
    /// <summary>The release named exactly, or null.</summary>
    public ReleaseCoverage? For(string release) => Releases.FirstOrDefault(r => r.Release == release);

    /// <summary>The newest release, or null when no release was scanned with its C bindings.</summary>
    public ReleaseCoverage? Newest => Releases.Count == 0 ? null : Releases[^1];
}

/// <summary>
/// How much of the C API bindgen sees Rust reaches (issue 14). The one definition of the measure (the <c>coverage</c>
/// command, its JSON, the report and the <c>coverage</c> claim form call it): a declaration is counted once per header and
/// name (a prototype and a stub of one function are one); it is reached when a Rust use resolves to it (<c>bindings::NAME</c>,
/// a helper wrapping it, for a struct also a field access). Pure. docs/measures.md says how this differs from the ATC'24 study.
/// </summary>
public static class BindingCoverage
{
    /// <summary>How the figures are counted, and why they differ from the one published figure: shown under every table of
    /// them (the console, the report). docs/measures.md says it at length.</summary>
    public const string MeasurementNote =
        "Counted over the headers bindgen reads (the x86 include closure of rust/bindings/bindings_helper.h and rust/uapi/uapi_helper.h, " +
        "every #if branch kept), not the whole kernel: each function, struct and macro once per header and name (function-like macros and " +
        "include guards included, though bindgen exposes neither). Reached means a Rust file names it: bindings:: or uapi::, a rust_helper_* " +
        "wrapping it, or for a struct a field access; calls through abstractions or static inline bodies are not followed. The ATC'24 " +
        "Rust-for-Linux study's about 3.4% of kernel functions and 4.5% of structs (a 2023 tree) counts another denominator and numerator, " +
        "so the figures are not comparable one to one (docs/measures.md).";

    /// <summary>The kinds coverage counts, in the order they are shown.</summary>
    public static readonly IReadOnlyList<string> Kinds = ["function", "struct", "macro"];

    /// <summary>The coverage of <paramref name="reach"/>.</summary>
    public static ReleaseCoverage Of(ReleaseReach reach) =>
        Of(reach.Release, reach.Declarations.Select(d => (d.Header, d.Kind, d.Name)), reach.Uses, reach.Maintainers);

    /// <summary>The coverage of a release from its closure's declarations (header, kind, name; other kinds are ignored), its
    /// Rust uses and the MAINTAINERS entries covering a path: what the store reads without the rest of a <see cref="ReleaseReach"/>.</summary>
    public static ReleaseCoverage Of(string release, IEnumerable<(string Header, string Kind, string Name)> declarations, IEnumerable<RustCUse> uses,
        Func<string, IReadOnlyList<MaintainersContact>> maintainers)
    {
        var reached = new HashSet<(string Header, string Kind, string Name)>();
        foreach (var u in uses)
        {
            if (u.TargetHeader is null || u.Target is null)
                continue;
            if (u.TargetKind == "field")
            {
                // struct phy_device.speed reaches struct phy_device
                var parent = u.Target[..u.Target.LastIndexOf('.')];
                var space = parent.IndexOf(' ');
                if (space > 0)
                    reached.Add((u.TargetHeader, parent[..space], parent[(space + 1)..]));
            }
            else
            {
                reached.Add((u.TargetHeader, u.TargetKind!, u.Target));
            }
        }
        var headers = declarations.Where(d => d.Kind is "function" or "struct" or "macro").Distinct()
            .GroupBy(d => d.Header, StringComparer.Ordinal)
            .Select(g =>
            {
                int Count(string kind) => g.Count(d => d.Kind == kind);
                int Reached(string kind) => g.Count(d => d.Kind == kind && reached.Contains(d));
                return new CoverageRow(g.Key, 1, Count("function"), Reached("function"), Count("struct"), Reached("struct"), Count("macro"), Reached("macro"));
            })
            .OrderBy(r => r.Name, StringComparer.Ordinal).ToList();
        // A header's declarations are its own, so a group's counts are the sums of its headers' rows.
        static CoverageRow Sum(string name, IEnumerable<CoverageRow> rows) => rows.Aggregate(new CoverageRow(name, 0, 0, 0, 0, 0, 0, 0), (a, r) => a with
        {
            Headers = a.Headers + r.Headers,
            Functions = a.Functions + r.Functions,
            FunctionsReached = a.FunctionsReached + r.FunctionsReached,
            Structs = a.Structs + r.Structs,
            StructsReached = a.StructsReached + r.StructsReached,
            Macros = a.Macros + r.Macros,
            MacrosReached = a.MacrosReached + r.MacrosReached,
        });
        var subsystems = headers
            .SelectMany(h => maintainers(h.Name).Select(m => (m.Entry, Row: h)))
            .GroupBy(x => x.Entry, StringComparer.Ordinal)
            .Select(g => Sum(g.Key, g.Select(x => x.Row)))
            .OrderByDescending(r => r.Reached).ThenBy(r => r.Name, StringComparer.Ordinal)
            .ToList();
        return new ReleaseCoverage(release, Sum("all headers bindgen reads", headers), headers, subsystems);
    }

    /// <summary>The releases' coverages ordered by version, oldest first.</summary>
    public static CoverageHistory Across(IEnumerable<ReleaseCoverage> releases) =>
        new([.. releases.OrderBy(r => r.Release, Comparer<string>.Create(Release.CompareNames))]);

    /// <summary>The Rust files with a use that resolves to a declaration of <paramref name="header"/> (the uses coverage counts:
    /// <c>bindings::</c>, <c>uapi::</c>, helpers, fields), sorted.</summary>
    public static IReadOnlyList<string> RustFilesUsing(ReleaseReach reach, string header) =>
        [.. reach.Uses.Where(u => u.TargetHeader == header && u.Target is not null).Select(u => u.Path).Distinct().Order(StringComparer.Ordinal)];
}
