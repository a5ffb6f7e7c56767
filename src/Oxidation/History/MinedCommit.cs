
namespace Oxidation.History;

/// <summary>A person trailer of a commit with the employer of its address at the commit's date.</summary>
public sealed record MinedTrailer(string Key, Identity Person, string Employer);

/// <summary>
/// What the history records of one commit. <c>Release</c>: the release of the earliest <c>vX.Y</c> tag containing it,
/// or <c>X.Y+</c> after the newest tag. <c>Rust</c>: a non-merge commit touching <c>.rs</c> files, <c>rust/</c>, or Rust
/// lines of Kconfig and Makefiles. <c>RustAdded</c>/<c>RustRemoved</c>: lines of kernel <c>.rs</c> files (vendored crates
/// apart, in <c>Vendored*</c>). <c>Headers</c>: C headers (<c>include/</c>) changed in a commit that also changes <c>rust/</c>.
/// <c>FixesRustBuild</c>: the subject says it fixes the Rust build.
/// </summary>
public sealed record MinedCommit(
    string Sha,
    string Release,
    bool Unreleased,
    DateTimeOffset Date,
    Identity Author,
    string Employer,
    bool Merge,
    string Subject,
    bool Rust,
    bool VendoredOnly,
    int RustAdded,
    int RustRemoved,
    int VendoredAdded,
    int VendoredRemoved,
    bool TouchesRustDirectory,
    IReadOnlyList<string> Headers,
    bool FixesRustBuild,
    IReadOnlyList<MinedTrailer> Trailers);

/// <summary>Rust lines of one area at a release tag.</summary>
public sealed record TagLines(string Release, string Area, long Files, long Code, long Comment, long Blank);

/// <summary>A stretch of history mined in one go: the commits of one release (or the unreleased tail).</summary>
public sealed record MinedSegment(string Release, bool Unreleased, string TipSha, IReadOnlyList<MinedCommit> Commits, IReadOnlyList<TagLines> Lines)
{
    /// <summary>Commits stored earlier as unreleased that this release now contains.</summary>
    public IReadOnlyList<string> Relabeled { get; init; } = [];
}

/// <summary>What the store already holds, so a later run mines only what is new.</summary>
public sealed record HistoryState(IReadOnlySet<string> CompleteReleases, string? UnreleasedTip, IReadOnlySet<string> UnreleasedShas);
