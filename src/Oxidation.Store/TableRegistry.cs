using System.Text;

namespace Oxidation.Store;

/// <summary>What a table belongs to: who writes it and what replaces its rows.</summary>
public enum TableGroup
{
    /// <summary>The database's own settings (<c>meta</c>).</summary>
    Meta,

    /// <summary>One release's scan: keyed by <c>release</c>; a scan replaces its release's rows in all of them.</summary>
    Scan,

    /// <summary>The CVE records of the last import: an import replaces them whole.</summary>
    Cve,

    /// <summary>A cache kept across runs: classifications by record fingerprint and classifier version; file results by blob id, name and rules version.</summary>
    Cache,

    /// <summary>The mined history of one repository.</summary>
    History,
}

/// <summary>A column: its name and DuckDB type.</summary>
public sealed record ColumnDefinition(string Name, string Type);

/// <summary>
/// A table, declared once: the schema (<c>CREATE TABLE</c>), the delete order, the schema check, export and merge,
/// and the table list of docs/database.md all come from this declaration.
/// </summary>
/// <param name="Name">The table's name.</param>
/// <param name="Group">Who writes it.</param>
/// <param name="Key">The columns that identify a row (tested unique on the real trees and the CVE snapshot).</param>
/// <param name="Meaning">One line: what a row is.</param>
/// <param name="Columns">The columns, in order.</param>
public sealed record TableDefinition(string Name, TableGroup Group, IReadOnlyList<string> Key, string Meaning, IReadOnlyList<ColumnDefinition> Columns)
{
    /// <summary>The <c>CREATE TABLE IF NOT EXISTS</c> statement (a one-column key is the primary key only for <c>meta</c> and <c>releases</c>, as before the registry).</summary>
    public string CreateStatement
    {
        get
        {
            var columns = Columns.Select(c => $"{c.Name} {c.Type}{(PrimaryKey == c.Name ? " PRIMARY KEY" : "")}");
            return $"CREATE TABLE IF NOT EXISTS {Name} ({string.Join(", ", columns)})";
        }
    }

    /// <summary>The column DuckDB enforces as the primary key, if any.</summary>
    public string? PrimaryKey => Name is "meta" or "releases" ? Key[0] : null;
}

/// <summary>Every table Oxidation creates, in creation order (docs/database.md is tested equal to <see cref="Markdown"/>).</summary>
public static class TableRegistry
{
    private static TableDefinition T(string name, TableGroup group, string key, string meaning, string columns) =>
        new(name, group, [.. key.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)], meaning,
            [.. columns.Split(',', StringSplitOptions.TrimEntries).Select(c => c.Split(' ', 2)).Select(c => new ColumnDefinition(c[0], c[1]))]);

    /// <summary>All tables: <c>meta</c>, then the scan, CVE and history tables.</summary>
    public static readonly IReadOnlyList<TableDefinition> All =
    [
        T("meta", TableGroup.Meta, "key", "setting: schema_version, cve_fingerprint, cve_imported_at, history_repository", "key VARCHAR, value VARCHAR"),

        // One release's scan, in the order a scan deletes and writes them.
        T("releases", TableGroup.Scan, "release", "scanned release: source, time, totals, and the whole scan JSON (`json`: `diff` and `milestones` read the typed scan back from it, `ScanStore.Load`; the crate groups are only there)",
            "release VARCHAR, source VARCHAR, scanned_at TIMESTAMP, files BIGINT, bytes BIGINT, counted_files BIGINT, binary_files BIGINT, links BIGINT, " +
            "kernel_rust_files BIGINT, kernel_rust_code BIGINT, vendored_rust_files BIGINT, vendored_rust_code BIGINT, json JSON"),
        T("files", TableGroup.Scan, "release, path", "counted file: language, bytes, code, comment and blank lines",
            "release VARCHAR, path VARCHAR, language VARCHAR, bytes BIGINT, code BIGINT, comment BIGINT, blank BIGINT"),
        T("languages", TableGroup.Scan, "release, language", "language totals of a release (as `languages` in the JSON)",
            "release VARCHAR, language VARCHAR, kind VARCHAR, files BIGINT, code BIGINT, comment BIGINT, blank BIGINT"),
        T("directories", TableGroup.Scan, "release, depth, path, language", "directory × language totals at a depth of the tree (as `directories` in the JSON; files at the top are `.` at every depth)",
            "release VARCHAR, path VARCHAR, depth INTEGER, language VARCHAR, files BIGINT, code BIGINT, comment BIGINT, blank BIGINT"),
        T("rust_areas", TableGroup.Scan, "release, area", "Rust lines of an area (abstractions, drivers, …; the vendored crates as `vendored`), as `rust.areas`",
            "release VARCHAR, area VARCHAR, files BIGINT, code BIGINT, comment BIGINT, blank BIGINT"),
        T("vendored_crates", TableGroup.Scan, "release, name", "a third-party crate vendored under rust/ (as `rust.vendoredCrates`)",
            "release VARCHAR, name VARCHAR, path VARCHAR, license VARCHAR, files BIGINT, code BIGINT, comment BIGINT, blank BIGINT"),
        T("rust_files", TableGroup.Scan, "release, path", "a Rust file: area, crate, unit, lines and unsafe counts (as `rust.files`)",
            "release VARCHAR, path VARCHAR, area VARCHAR, crate VARCHAR, unit VARCHAR, code BIGINT, comment BIGINT, blank BIGINT, unsafe_blocks INTEGER, " +
            "unsafe_blocks_justified INTEGER, unsafe_blocks_todo INTEGER, unsafe_functions INTEGER, unsafe_functions_documented INTEGER, unsafe_impls INTEGER, " +
            "unsafe_traits INTEGER, doctest_unsafe_blocks INTEGER"),
        T("rust_units", TableGroup.Scan, "release, name", "a Rust unit (module, driver, sample) a Makefile builds, with its Kconfig symbol and C counterpart (as `rust.units`)",
            "release VARCHAR, name VARCHAR, kind VARCHAR, macro VARCHAR, files VARCHAR[], kconfig VARCHAR, kconfig_all VARCHAR[], prompt VARCHAR, depends_on VARCHAR, " +
            "experimental BOOLEAN, counterpart VARCHAR, counterpart_prompt VARCHAR, counterpart_evidence VARCHAR, linked_into VARCHAR, makefile VARCHAR, code BIGINT, " +
            "unsafe_blocks INTEGER"),
        T("unsafe_sites", TableGroup.Scan, "release, path, line, kind", "an unsafe site: path, line, kind (block, fn, impl, trait, extern), status (justified, todo, unjustified, documented, undocumented)",
            "release VARCHAR, path VARCHAR, line INTEGER, kind VARCHAR, status VARCHAR, area VARCHAR, unit VARCHAR, doc_test BOOLEAN"),
        T("bindings_headers", TableGroup.Scan, "release, path", "a C header rust/bindings/bindings_helper.h or rust/uapi/uapi_helper.h includes",
            "release VARCHAR, path VARCHAR, included_from VARCHAR, in_tree BOOLEAN"),
        T("bindings_helpers", TableGroup.Scan, "release, name", "a C helper function under rust/helpers (rust/helpers.c in 6.1)",
            "release VARCHAR, name VARCHAR, file VARCHAR, line INTEGER"),
        T("bindings_items", TableGroup.Scan, "release, path, item", "a `bindings::` item a Rust file uses",
            "release VARCHAR, path VARCHAR, item VARCHAR"),
        T("maintainers", TableGroup.Scan, "release, entry", "a MAINTAINERS entry covering Rust files, with its M:, R:, L:, S: and the Rust files it covers",
            "release VARCHAR, entry VARCHAR, status VARCHAR, maintainers VARCHAR[], reviewers VARCHAR[], lists VARCHAR[], rust_files INTEGER, files VARCHAR[]"),
        T("problems", TableGroup.Scan, "release, path, reason", "a per-file problem of the scan: path, reason, whether the file was still counted",
            "release VARCHAR, path VARCHAR, reason VARCHAR, counted BOOLEAN"),
        T("maintainers_files", TableGroup.Scan, "release", "the release's whole MAINTAINERS file, for CVE statistics per entry",
            "release VARCHAR, content VARCHAR"),
        T("c_headers", TableGroup.Scan, "release, path", "a header of the bindgen include closure: who includes it first, at which line and depth",
            "release VARCHAR, path VARCHAR, included_by VARCHAR, line INTEGER, depth INTEGER, generic_wrapper BOOLEAN"),
        T("c_unresolved_includes", TableGroup.Scan, "release, target, included_by, line", "an #include of the closure that resolves to no file of the tree, and why",
            "release VARCHAR, target VARCHAR, included_by VARCHAR, line INTEGER, reason VARCHAR"),
        T("c_declarations", TableGroup.Scan, "release, header, kind, name, parent, line", "a C declaration of a closure header: function, struct, field, union, enum, enumerator, macro, typedef (a name may be declared twice under #ifdef)",
            "release VARCHAR, header VARCHAR, kind VARCHAR, name VARCHAR, parent VARCHAR, line INTEGER, first_line INTEGER, last_line INTEGER, text VARCHAR, static_inline BOOLEAN"),
        T("c_helpers", TableGroup.Scan, "release, name", "a rust_helper_* function and the C declarations it wraps",
            "release VARCHAR, name VARCHAR, rust_name VARCHAR, file VARCHAR, line INTEGER, wraps VARCHAR[]"),
        T("rust_c_uses", TableGroup.Scan, "release, path, line, item, via, target_header, target_line", "a use of a C declaration by a Rust file: the item, how (bindings::, helper, field) and a declaration it resolves to (one row per declaration: BUG has three)",
            "release VARCHAR, path VARCHAR, line INTEGER, item VARCHAR, via VARCHAR, target_kind VARCHAR, target VARCHAR, target_header VARCHAR, target_line INTEGER, helper VARCHAR"),
        T("rust_module_uses", TableGroup.Scan, "release, path, module", "an abstraction module (`use kernel::NAME`) a Rust file uses",
            "release VARCHAR, path VARCHAR, module VARCHAR"),

        // The CVE records of the last import.
        T("cves", TableGroup.Cve, "id", "a CVE record: state, year, text, CVSS, and its class, memory_safety, prevented_by_safe_rust, confidence, evidence, language, classifier",
            "id VARCHAR, state VARCHAR, year INTEGER, path VARCHAR, title VARCHAR, subject VARCHAR, description VARCHAR, cvss_vector VARCHAR, cvss_score DOUBLE, " +
            "class VARCHAR, memory_safety BOOLEAN, prevented_by_safe_rust BOOLEAN, confidence VARCHAR, evidence VARCHAR, language VARCHAR, classifier VARCHAR"),
        T("cve_files", TableGroup.Cve, "id, path", "a file the record's fix touched (`programFiles`)",
            "id VARCHAR, path VARCHAR"),
        T("cve_ranges", TableGroup.Cve, "id, grp, kind, version, less_than, less_than_or_equal, status", "an affected range: grp (the `affected[]` entry), kind (versionType), version, less_than, less_than_or_equal, status, default_status",
            "id VARCHAR, grp INTEGER, kind VARCHAR, version VARCHAR, less_than VARCHAR, less_than_or_equal VARCHAR, status VARCHAR, default_status VARCHAR"),
        T("cve_fixes", TableGroup.Cve, "id, commit", "a fix commit of a record (the `…/c/SHA` references)",
            "id VARCHAR, commit VARCHAR"),
        T("cve_problems", TableGroup.Cve, "path, reason", "a record file the last import skipped, with the reason",
            "path VARCHAR, reason VARCHAR"),
        T("cve_out_of_fold", TableGroup.Cve, "id", "the classifier's cross-validated class of a labelled record it was trained on (empty for the rules): the corrected shares use these",
            "id VARCHAR, class VARCHAR"),
        T("cve_classifications", TableGroup.Cache, "record, classifier", "the classification cache: record (fingerprint of subject, description, files), classifier (version) → class, flags, confidence, evidence; kept across imports",
            "record VARCHAR, classifier VARCHAR, class VARCHAR, memory_safety BOOLEAN, prevented_by_safe_rust BOOLEAN, confidence VARCHAR, evidence VARCHAR"),

        T("file_results", TableGroup.Cache, "content_id, name, version", "the scan's file cache: a git blob (content_id) under a file name, counted by one version of the rules (`ScanCache.Version`) → language, bytes, lines, binary, invalid UTF-8; kept across runs of `scan --rev` and `releases` so a blob is counted once",
            "content_id VARCHAR, name VARCHAR, version VARCHAR, language VARCHAR, bytes BIGINT, code BIGINT, comment BIGINT, blank BIGINT, is_binary BOOLEAN, invalid_utf8 BOOLEAN"),

        // The mined history.
        T("history_commits", TableGroup.History, "sha", "a mined commit: release, date, author, employer, whether it is Rust, lines added and removed (kernel and vendored), build fixes",
            "sha VARCHAR, release VARCHAR, unreleased BOOLEAN, date TIMESTAMP WITH TIME ZONE, author_name VARCHAR, author_email VARCHAR, employer VARCHAR, merge BOOLEAN, subject VARCHAR, " +
            "rust BOOLEAN, vendored_only BOOLEAN, rust_added INTEGER, rust_removed INTEGER, vendored_added INTEGER, vendored_removed INTEGER, touches_rust_dir BOOLEAN, " +
            "fixes_rust_build BOOLEAN"),
        T("history_trailers", TableGroup.History, "sha, key, email", "a person trailer (Reviewed-by, Acked-by, …) of a Rust changeset, with the person's employer",
            "sha VARCHAR, key VARCHAR, name VARCHAR, email VARCHAR, employer VARCHAR"),
        T("history_headers", TableGroup.History, "sha, header", "a C header changed in the same commit as rust/",
            "sha VARCHAR, header VARCHAR"),
        T("history_lines", TableGroup.History, "release, area", "Rust lines of an area at a release tag",
            "release VARCHAR, area VARCHAR, files BIGINT, code BIGINT, comment BIGINT, blank BIGINT"),
        T("history_releases", TableGroup.History, "release", "a mined segment: release, whether unreleased, its tip commit, its order",
            "release VARCHAR, unreleased BOOLEAN, tip VARCHAR, position INTEGER"),
    ];

    /// <summary>The table named <paramref name="name"/>.</summary>
    public static TableDefinition Get(string name) => All.First(t => t.Name == name);

    /// <summary>The names of the tables of <paramref name="group"/>, in creation order.</summary>
    public static string[] Names(TableGroup group) => [.. All.Where(t => t.Group == group).Select(t => t.Name)];

    /// <summary>The table list of docs/database.md: name, key, meaning, and the columns with their types.</summary>
    public static string Markdown()
    {
        var sb = new StringBuilder();
        sb.Append("| table | key | one row per | columns |\n|---|---|---|---|\n");
        foreach (var t in All)
        {
            var key = t.Key.Count == 0 ? "(none)" : string.Join(", ", t.Key);
            var columns = string.Join(", ", t.Columns.Select(c => $"{c.Name} {c.Type}"));
            sb.Append($"| {t.Name} | {key} | {t.Meaning.Replace("|", "\\|", StringComparison.Ordinal)} | {columns} |\n");
        }
        return sb.ToString();
    }
}
