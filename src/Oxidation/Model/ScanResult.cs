namespace Oxidation.Model;

// The JSON contract of `oxidation scan --json` (docs/json-schema.md). Property names are the
// contract: add freely, never rename.

/// <summary>The inventory of one kernel source tree.</summary>
public sealed record ScanResult(
    string Release,
    string Source,
    ScanSummary Summary,
    IReadOnlyList<LanguageTotal> Languages,
    IReadOnlyList<DirectoryTotal> Directories,
    RustInventory Rust,
    IReadOnlyList<MaintainersCoverage> Maintainers,
    IReadOnlyList<Problem> Problems)
{
    /// <summary>Every counted file with its language and lines (not in the JSON; stored in the database).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<FileRecord> Files { get; init; } = [];

    /// <summary>The tree's MAINTAINERS file (not in the JSON; stored so CVE statistics can use its entries).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string? MaintainersText { get; init; }

    /// <summary>Files whose results came from a <see cref="Scanning.ScanCache"/> rather than from reading them (not in the JSON).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public long Reused { get; init; }
    /// <summary>The C side bindgen gives Rust and where Rust reaches into it (issue 14); null for a tree without
    /// <c>rust/bindings/bindings_helper.h</c>.</summary>
    public CBindingsInventory? CBindings { get; init; }

    /// <summary>The day the scanned tree is from, when its source records it (<c>scan --rev</c>, <c>releases</c>: the commit's
    /// committer date); null for a directory or a tarball. Milestones date a release the catalog lacks by it.</summary>
    public DateOnly? SourceDate { get; init; }
}

/// <summary>What the scan read.</summary>
public sealed record ScanSummary(long Files, long Bytes, long CountedFiles, long BinaryFiles, long Links, long InvalidUtf8Files, long ProblemFiles);

/// <summary>Totals of one language.</summary>
public sealed record LanguageTotal(string Language, string Kind, long Files, long Code, long Comment, long Blank);

/// <summary>Totals of one language in one directory; <see cref="Depth"/> 1 is a top-level directory, 2 a second-level one
/// (files directly in a top-level directory appear at depth 2 as <c>dir/.</c>).</summary>
public sealed record DirectoryTotal(string Path, int Depth, string Language, long Files, long Code, long Comment, long Blank);

/// <summary>One counted file.</summary>
public sealed record FileRecord(string Path, string Language, long Bytes, long Code, long Comment, long Blank);

/// <summary>A file that was left out or only partly understood.</summary>
public sealed record Problem(string Path, string Reason, bool Counted);

/// <summary>Everything about the Rust code of the tree.</summary>
public sealed record RustInventory(
    RustTotals Kernel,
    RustTotals Vendored,
    IReadOnlyList<RustAreaTotal> Areas,
    IReadOnlyList<VendoredCrate> VendoredCrates,
    IReadOnlyList<RustUnit> Units,
    IReadOnlyList<string> UnitMacros,
    UnsafeSummary Unsafe,
    BindingsInventory Bindings,
    IReadOnlyList<RustFile> Files,
    IReadOnlyList<string> UncoveredFiles)
{
    /// <summary>The three groups of Rust (docs/measures.md): <c>kernel</c> (= <see cref="Kernel"/>), <c>kernel-maintained</c> crates and
    /// <c>third-party</c> vendored crates (together = <see cref="Vendored"/>), with the crates of each.</summary>
    public IReadOnlyList<RustGroupTotal> Groups { get; init; } = [];
}

/// <summary>Files and lines of one group of Rust (kernel, kernel-maintained crates, third-party crates) and its crates.</summary>
public sealed record RustGroupTotal(string Group, IReadOnlyList<string> Crates, long Files, long Code, long Comment, long Blank);

/// <summary>Files and lines of a set of Rust files.</summary>
public sealed record RustTotals(long Files, long Code, long Comment, long Blank);

/// <summary>Totals of one area (abstractions, macros, bindings, vendored, build, samples, drivers, subsystems, tools).</summary>
public sealed record RustAreaTotal(string Area, long Files, long Code, long Comment, long Blank);

/// <summary>A third-party crate vendored under <c>rust/</c>.</summary>
public sealed record VendoredCrate(string Name, string Path, string? License, long Files, long Code, long Comment, long Blank)
{
    /// <summary><c>kernel-maintained</c> (a MAINTAINERS entry of its own) or <c>third-party</c> (<see cref="Rust.VendoredCrates"/>).</summary>
    public string Group { get; init; } = Rust.VendoredCrates.ThirdParty;

    /// <summary>The MAINTAINERS entry that maintains it (RUST [PIN-INIT]), for a kernel-maintained crate.</summary>
    public string? MaintainedBy { get; init; }
}

/// <summary>A Rust kernel module, driver, or Rust object linked into a C object.</summary>
public sealed record RustUnit(
    string Name,
    string Kind,
    string? Macro,
    IReadOnlyList<string> Files,
    string? Kconfig,
    IReadOnlyList<string> KconfigAll,
    string? Prompt,
    string? DependsOn,
    bool Experimental,
    string? Counterpart,
    string? CounterpartPrompt,
    string? CounterpartEvidence,
    string? LinkedInto,
    string? Makefile,
    long Code,
    int UnsafeBlocks);

/// <summary>The unsafe audit of kernel Rust (vendored crates excluded).</summary>
public sealed record UnsafeSummary(
    int Blocks,
    int BlocksJustified,
    int BlocksTodo,
    int Functions,
    int FunctionsDocumented,
    int Impls,
    int ImplsJustified,
    int Traits,
    int ExternBlocks,
    UnsafeDocTests DocTests,
    IReadOnlyList<UnsafeByGroup> ByArea,
    IReadOnlyList<UnsafeByGroup> ByUnit,
    IReadOnlyList<UnsafeSiteRecord> Sites)
{
    /// <summary>Blocks without any safety comment.</summary>
    public int BlocksUnjustified => Blocks - BlocksJustified - BlocksTodo;

    /// <summary>Share (0–1) of compiled unsafe blocks carrying a <c>// SAFETY:</c> justification (docs/measures.md).</summary>
    public double JustifiedShare => Justified(BlocksJustified, Blocks);

    /// <summary>
    /// The justified share, defined once: <paramref name="justified"/> of <paramref name="blocks"/> compiled unsafe
    /// blocks (doc-tests and vendored crates apart); 1 when there is no unsafe block (nothing is unjustified).
    /// </summary>
    public static double Justified(int justified, int blocks) => blocks == 0 ? 1 : (double)justified / blocks;
}

/// <summary>Unsafe sites in doc-test code, counted apart from compiled code.</summary>
public sealed record UnsafeDocTests(int Blocks, int BlocksJustified, int Functions, int Impls, int Traits);

/// <summary>
/// Unsafe counts of an area or a unit: the one count of compiled sites (doc-tests apart) that the JSON's groups, the
/// audit's totals (<see cref="UnsafeSummary"/>) and the report's unsafe tables all show.
/// </summary>
public sealed record UnsafeByGroup(string Name, int Blocks, int BlocksJustified, int BlocksTodo, int Functions, int FunctionsDocumented, int Impls, int ImplsJustified, int Traits, int ExternBlocks)
{
    /// <summary>Blocks without any safety comment.</summary>
    public int BlocksUnjustified => Blocks - BlocksJustified - BlocksTodo;

    /// <summary>Whether the group holds any compiled unsafe site.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool Any => Blocks + Functions + Impls + Traits + ExternBlocks > 0;

    /// <summary>Counts <paramref name="sites"/> (compiled ones: doc-test sites are left out) as the group <paramref name="name"/>.</summary>
    public static UnsafeByGroup Of(string name, IEnumerable<UnsafeSiteRecord> sites)
    {
        ArgumentNullException.ThrowIfNull(sites);
        int blocks = 0, justified = 0, todo = 0, functions = 0, documented = 0, impls = 0, implsJustified = 0, traits = 0, externs = 0;
        foreach (var s in sites)
        {
            if (s.DocTest)
                continue;
            switch (s.Kind)
            {
                case "block":
                    blocks++;
                    justified += s.Status == "justified" ? 1 : 0;
                    todo += s.Status == "todo" ? 1 : 0;
                    break;
                case "fn":
                    functions++;
                    documented += s.Status == "documented" ? 1 : 0;
                    break;
                case "impl":
                    impls++;
                    implsJustified += s.Status == "justified" ? 1 : 0;
                    break;
                case "trait":
                    traits++;
                    break;
                case "extern":
                    externs++;
                    break;
            }
        }
        return new UnsafeByGroup(name, blocks, justified, todo, functions, documented, impls, implsJustified, traits, externs);
    }
}

/// <summary>One unsafe site.</summary>
public sealed record UnsafeSiteRecord(string Path, int Line, string Kind, string Status, string Area, string? Unit, bool DocTest);

/// <summary>The C side Rust is built on.</summary>
public sealed record BindingsInventory(
    IReadOnlyList<BindingsHeader> Headers,
    IReadOnlyList<BindingsHelper> Helpers,
    IReadOnlyList<RustAbstraction> Abstractions,
    IReadOnlyList<SubsystemCoverage> Subsystems);

/// <summary>A header included by a bindgen input header.</summary>
public sealed record BindingsHeader(string Path, string IncludedFrom, bool InTree);

/// <summary>A C helper function (<c>rust_helper_*</c>) wrapping a macro or inline function for Rust.</summary>
public sealed record BindingsHelper(string Name, string File, int Line);

/// <summary>A module of the <c>kernel</c> crate and how much of the C API it uses.</summary>
public sealed record RustAbstraction(string Module, long Files, long Code, int BindingsItems);

/// <summary>A kernel subsystem (directory of <c>include/</c>) with the headers bindgen reads from it.</summary>
public sealed record SubsystemCoverage(string Subsystem, IReadOnlyList<string> Headers);

/// <summary>One Rust file.</summary>
public sealed record RustFile(
    string Path,
    string Area,
    string? Crate,
    string? Unit,
    long Code,
    long Comment,
    long Blank,
    int UnsafeBlocks,
    int UnsafeBlocksJustified,
    int UnsafeBlocksTodo,
    int UnsafeFunctions,
    int UnsafeFunctionsDocumented,
    int UnsafeImpls,
    int UnsafeTraits,
    int DocTestUnsafeBlocks,
    IReadOnlyList<string> BindingsItems);

/// <summary>A MAINTAINERS entry that covers Rust files.</summary>
public sealed record MaintainersCoverage(
    string Entry,
    string? Status,
    IReadOnlyList<string> Maintainers,
    IReadOnlyList<string> Reviewers,
    IReadOnlyList<string> Lists,
    int RustFiles,
    IReadOnlyList<string> Files);

/// <summary>
/// The bindgen include closure of a tree, its declarations and the Rust uses of them (issue 14). The declarations
/// themselves (<see cref="Index"/>) are stored in the database, not written to the JSON.
/// </summary>
public sealed record CBindingsInventory(
    string Architecture,
    IReadOnlyList<string> MissingRoots,
    IReadOnlyList<ClosureHeader> Headers,
    IReadOnlyList<UnresolvedHeader> Unresolved,
    IReadOnlyList<DeclarationTotal> Declarations,
    IReadOnlyList<CHelper> Helpers,
    IReadOnlyList<RustCUse> Uses,
    IReadOnlyList<RustModuleUse> ModuleUses)
{
    /// <summary>Every declaration of the closure's headers, in closure order.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<CDeclarationRecord> Index { get; init; } = [];
}

/// <summary>A header of the closure: the file whose <c>#include</c> (line) reached it first, its depth; a generic wrapper is
/// the <c>asm/X.h</c> Kbuild generates to include <c>asm-generic/X.h</c>.</summary>
public sealed record ClosureHeader(string Path, string? IncludedBy, int Line, int Depth, bool GenericWrapper);

/// <summary>An <c>#include</c> of the closure that found no file: <c>notfound</c>, <c>generated</c> (made by the build), <c>computed</c>.</summary>
public sealed record UnresolvedHeader(string Target, string IncludedBy, int Line, string Reason);

/// <summary>How many declarations of a kind the closure holds.</summary>
public sealed record DeclarationTotal(string Kind, int Count);

/// <summary>A C declaration of a closure header: kind (<c>function</c>, <c>struct</c>, <c>union</c>, <c>field</c>, <c>enum</c>,
/// <c>enum_value</c>, <c>macro</c>, <c>typedef</c>, <c>variable</c>, <c>macro_use</c>), name, parent (a field's struct, an
/// enumerator's enum), lines, text as written on one line.</summary>
public sealed record CDeclarationRecord(string Header, string Kind, string Name, string? Parent, int Line, int FirstLine, int LastLine, string Text, bool StaticInline);

/// <summary>A helper for Rust: a <c>rust_helper_*</c> function or a <c>RUST_CONST_HELPER_*</c> constant, the name Rust calls it by
/// (<c>bindings::RustName</c>), and the closure's functions, macros and variables it names (what it wraps).</summary>
public sealed record CHelper(string Name, string RustName, string File, int Line, IReadOnlyList<string> Wraps);

/// <summary>One Rust use of a C declaration: <c>bindings::Item</c> at path:line, through a helper or directly, or a field access
/// (<c>via</c> = <c>bindings</c>, <c>uapi</c>, <c>helper</c>, <c>field</c>); the target is null when no declaration of the closure has that
/// name (bindgen's own items, a header outside the closure).</summary>
public sealed record RustCUse(string Path, int Line, string Item, string Via, string? TargetKind, string? Target, string? TargetHeader, int? TargetLine, string? Helper);

/// <summary>A Rust file outside <c>rust/</c> naming a module of the kernel crate (<c>kernel::net</c>, <c>use kernel::{net, prelude}</c>).</summary>
public sealed record RustModuleUse(string Path, string Module);

/// <summary>Measures of a scanned release, defined once for the console, the JSON, the report and the claims (docs/figures.md).</summary>
public static class ScanMeasures
{
    /// <summary>Whether a language kind (Linguist's) counts towards "all code": programming languages only.</summary>
    public static bool IsProgramming(string kind) => string.Equals(kind, "programming", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The Rust share (0–1): kernel Rust code lines (vendored crates apart) over the code lines of every programming
    /// language of the release (docs/measures.md); 0 for a release without code.
    /// </summary>
    public static double RustShare(long kernelRustCode, long programmingCode) => programmingCode == 0 ? 0 : (double)kernelRustCode / programmingCode;
}
