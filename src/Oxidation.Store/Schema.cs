namespace Oxidation.Store;

/// <summary>The tables of a scan (docs/database.md). Every table is keyed by <c>release</c>.</summary>
internal static class Schema
{
    /// <summary>Tables holding one release's scan, in the order they are deleted and written.</summary>
    public static readonly string[] ScanTables =
    [
        "releases", "files", "languages", "directories", "rust_areas", "vendored_crates", "rust_files", "rust_units",
        "unsafe_sites", "bindings_headers", "bindings_helpers", "bindings_items", "maintainers", "problems", "maintainers_files",
        "c_headers", "c_unresolved_includes", "c_declarations", "c_helpers", "rust_c_uses", "rust_module_uses",
    ];

    public static readonly string[] Statements =
    [
        """
        CREATE TABLE IF NOT EXISTS releases (
            release VARCHAR PRIMARY KEY, source VARCHAR, scanned_at TIMESTAMP,
            files BIGINT, bytes BIGINT, counted_files BIGINT, binary_files BIGINT, links BIGINT,
            kernel_rust_files BIGINT, kernel_rust_code BIGINT, vendored_rust_files BIGINT, vendored_rust_code BIGINT,
            json JSON)
        """,
        "CREATE TABLE IF NOT EXISTS files (release VARCHAR, path VARCHAR, language VARCHAR, bytes BIGINT, code BIGINT, comment BIGINT, blank BIGINT)",
        "CREATE TABLE IF NOT EXISTS languages (release VARCHAR, language VARCHAR, kind VARCHAR, files BIGINT, code BIGINT, comment BIGINT, blank BIGINT)",
        "CREATE TABLE IF NOT EXISTS directories (release VARCHAR, path VARCHAR, depth INTEGER, language VARCHAR, files BIGINT, code BIGINT, comment BIGINT, blank BIGINT)",
        "CREATE TABLE IF NOT EXISTS rust_areas (release VARCHAR, area VARCHAR, files BIGINT, code BIGINT, comment BIGINT, blank BIGINT)",
        "CREATE TABLE IF NOT EXISTS vendored_crates (release VARCHAR, name VARCHAR, path VARCHAR, license VARCHAR, files BIGINT, code BIGINT, comment BIGINT, blank BIGINT)",
        """
        CREATE TABLE IF NOT EXISTS rust_files (release VARCHAR, path VARCHAR, area VARCHAR, crate VARCHAR, unit VARCHAR,
            code BIGINT, comment BIGINT, blank BIGINT, unsafe_blocks INTEGER, unsafe_blocks_justified INTEGER, unsafe_blocks_todo INTEGER,
            unsafe_functions INTEGER, unsafe_functions_documented INTEGER, unsafe_impls INTEGER, unsafe_traits INTEGER, doctest_unsafe_blocks INTEGER)
        """,
        """
        CREATE TABLE IF NOT EXISTS rust_units (release VARCHAR, name VARCHAR, kind VARCHAR, macro VARCHAR, files VARCHAR[],
            kconfig VARCHAR, kconfig_all VARCHAR[], prompt VARCHAR, depends_on VARCHAR, experimental BOOLEAN,
            counterpart VARCHAR, counterpart_prompt VARCHAR, counterpart_evidence VARCHAR, linked_into VARCHAR, makefile VARCHAR,
            code BIGINT, unsafe_blocks INTEGER)
        """,
        "CREATE TABLE IF NOT EXISTS unsafe_sites (release VARCHAR, path VARCHAR, line INTEGER, kind VARCHAR, status VARCHAR, area VARCHAR, unit VARCHAR, doc_test BOOLEAN)",
        "CREATE TABLE IF NOT EXISTS bindings_headers (release VARCHAR, path VARCHAR, included_from VARCHAR, in_tree BOOLEAN)",
        "CREATE TABLE IF NOT EXISTS bindings_helpers (release VARCHAR, name VARCHAR, file VARCHAR, line INTEGER)",
        "CREATE TABLE IF NOT EXISTS bindings_items (release VARCHAR, path VARCHAR, item VARCHAR)",
        """
        CREATE TABLE IF NOT EXISTS maintainers (release VARCHAR, entry VARCHAR, status VARCHAR, maintainers VARCHAR[], reviewers VARCHAR[],
            lists VARCHAR[], rust_files INTEGER, files VARCHAR[])
        """,
        "CREATE TABLE IF NOT EXISTS problems (release VARCHAR, path VARCHAR, reason VARCHAR, counted BOOLEAN)",
        "CREATE TABLE IF NOT EXISTS maintainers_files (release VARCHAR, content VARCHAR)",
        "CREATE TABLE IF NOT EXISTS c_headers (release VARCHAR, path VARCHAR, included_by VARCHAR, line INTEGER, depth INTEGER, generic_wrapper BOOLEAN)",
        "CREATE TABLE IF NOT EXISTS c_unresolved_includes (release VARCHAR, target VARCHAR, included_by VARCHAR, line INTEGER, reason VARCHAR)",
        """
        CREATE TABLE IF NOT EXISTS c_declarations (release VARCHAR, header VARCHAR, kind VARCHAR, name VARCHAR, parent VARCHAR,
            line INTEGER, first_line INTEGER, last_line INTEGER, text VARCHAR, static_inline BOOLEAN)
        """,
        "CREATE TABLE IF NOT EXISTS c_helpers (release VARCHAR, name VARCHAR, rust_name VARCHAR, file VARCHAR, line INTEGER, wraps VARCHAR[])",
        """
        CREATE TABLE IF NOT EXISTS rust_c_uses (release VARCHAR, path VARCHAR, line INTEGER, item VARCHAR, via VARCHAR,
            target_kind VARCHAR, target VARCHAR, target_header VARCHAR, target_line INTEGER, helper VARCHAR)
        """,
        "CREATE TABLE IF NOT EXISTS rust_module_uses (release VARCHAR, path VARCHAR, module VARCHAR)",
    ];
}
