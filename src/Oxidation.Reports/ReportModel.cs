using Oxidation.CHeaders;
using Oxidation.Cves;
using Oxidation.History;
using Oxidation.Reports.Claims;

namespace Oxidation.Reports;

/// <summary>The headline figures of one scanned release.</summary>
public sealed record ReleaseSummary(
    string Release,
    string Source,
    long AllCode,
    long KernelRustFiles,
    long KernelRustCode,
    long VendoredRustCode,
    int Units,
    int UnsafeBlocks,
    int UnsafeBlocksJustified,
    int BindingsHeaders,
    int Helpers,
    int AbstractionModules)
{
    /// <summary>Kernel Rust code lines as a share (0–1) of all code lines of the release.</summary>
    public double RustShare => Model.ScanMeasures.RustShare(KernelRustCode, AllCode);

    /// <summary>Share (0–1) of compiled unsafe blocks carrying a <c>// SAFETY:</c> justification.</summary>
    public double JustifiedShare => Model.UnsafeSummary.Justified(UnsafeBlocksJustified, UnsafeBlocks);
}

/// <summary>Rust code lines of one area at one point: a scanned release or a release tag of the mined history.</summary>
public sealed record AreaLines(string Release, string Origin, string Area, long Files, long Code);

/// <summary>A Rust unit (module, driver, sample) of a release, and how it changed since the previous scanned release.</summary>
public sealed record UnitRow(
    string Release,
    string Name,
    string Kind,
    string? Kconfig,
    string? Prompt,
    bool Experimental,
    string? Counterpart,
    string? LinkedInto,
    long Code,
    int UnsafeBlocks,
    string Path,
    string Change)
{
    /// <summary>Sample (under samples/), counterpart of a C driver, or Rust-only.</summary>
    public string Category => Path.StartsWith("samples/", StringComparison.Ordinal) ? "sample" : Counterpart is not null ? "counterpart of a C driver" : "Rust-only";
}

/// <summary>A unit of an earlier scanned release that is gone from a later one.</summary>
public sealed record RemovedUnit(string Release, string Name, string RemovedIn);

/// <summary>A module of the Rust abstractions (<c>rust/kernel/NAME</c>) and the MAINTAINERS entries covering it.</summary>
public sealed record AbstractionModule(string Release, string Module, int Files, long Code, IReadOnlyList<string> Entries);

/// <summary>A C header given to bindgen, with the top directory it belongs to.</summary>
public sealed record BindingsHeader(string Release, string Path, string IncludedFrom);

/// <summary>Unsafe counts of one area or unit.</summary>
public sealed record UnsafeGroup(string Name, int Blocks, int Justified, int Todo, int Missing, int Functions, int FunctionsDocumented, int Impls, int ImplsJustified);

/// <summary>An unsafe block or impl without a justification, with a link to its line.</summary>
public sealed record UnjustifiedSite(string Path, int Line, string Kind, string Status, string Area, string? Unit, string Link);

/// <summary>Everything the report shows, read from the database. Writers render it; none queries again.</summary>
public sealed record ReportModel(
    string Database,
    IReadOnlyList<ReleaseSummary> Releases,
    IReadOnlyList<AreaLines> Growth,
    IReadOnlyList<UnitRow> Units,
    IReadOnlyList<RemovedUnit> RemovedUnits,
    IReadOnlyList<AbstractionModule> Abstractions,
    IReadOnlyList<BindingsHeader> Headers,
    CoverageHistory Coverage,
    IReadOnlyList<UnsafeGroup> UnsafeByArea,
    IReadOnlyList<UnsafeGroup> UnsafeByUnit,
    IReadOnlyList<UnjustifiedSite> Unjustified,
    CveStats? Cves,
    HistoryReport? History,
    IReadOnlyList<ClaimVerdict> Claims,
    string? ClaimsSource)
{
    /// <summary>What changed from each stored release to the next (<see cref="Oxidation.Releases.ReleaseDiff"/>), oldest pair first.</summary>
    public IReadOnlyList<Oxidation.Releases.ReleaseDiff> Changes { get; init; } = [];

    /// <summary>The newest scanned release (by version), or null when nothing was scanned.</summary>
    public ReleaseSummary? Newest => Releases.Count == 0 ? null : Releases[^1];

    /// <summary>What the database lacks, each with the command that fills it.</summary>
    public IReadOnlyList<string> Missing
    {
        get
        {
            var missing = new List<string>();
            if (Releases.Count == 0)
                missing.Add("no kernel tree scanned yet: run oxidation scan /usr/src/linux-source-6.12.tar.xz");
            if (Cves is null)
                missing.Add("no CVE records imported yet: run oxidation cves import PATH");
            if (History is null)
                missing.Add("no history mined yet: run oxidation history REPO");
            return missing;
        }
    }
}
