using DuckDB.NET.Data;
using Oxidation.Model;
using Oxidation.Scanning;

namespace Oxidation.Store;

/// <summary>Kernel Rust code and all programming-language code of a stored release.</summary>
public sealed record ReleaseCode(long KernelRustCode, long ProgrammingCode)
{
    /// <summary>The Rust share (0–1), <see cref="ScanMeasures.RustShare"/>.</summary>
    public double RustShare => ScanMeasures.RustShare(KernelRustCode, ProgrammingCode);
}

/// <summary>Writes and reads tree scans.</summary>
public static class ScanStore
{
    /// <summary>
    /// Replaces the rows of <paramref name="scan"/>'s release with the scan, in one transaction:
    /// if anything fails, the database is left as it was. <paramref name="failAfter"/> is for tests
    /// that prove this: the write throws after that many tables.
    /// </summary>
    /// <param name="db">The database.</param>
    /// <param name="scan">The scan.</param>
    /// <param name="cache">The file cache the scan used (a git tree): its new results are stored in the same transaction (<see cref="FileResultStore"/>).</param>
    /// <param name="failAfter">For tests: throw after writing this many tables (the number of scan tables: after the file results too).</param>
    public static void Save(OxidationDatabase db, ScanResult scan, ScanCache? cache = null, int? failAfter = null)
    {
        var fresh = cache?.TakeFresh() ?? [];
        try
        {
            Write(db, scan, fresh, failAfter);
        }
        catch
        {
            cache?.Return(fresh); // not stored: the next save of the run tries them again
            throw;
        }
    }

    private static void Write(OxidationDatabase db, ScanResult scan, IReadOnlyList<(string ContentId, string Name, FileResult Result)> fresh, int? failAfter)
    {
        db.InTransaction(() =>
        {
            foreach (var table in Schema.ScanTables)
            {
                using var delete = db.Command($"DELETE FROM {table} WHERE release = $1", scan.Release);
                delete.ExecuteNonQuery();
            }
            _ = WritersChecked.Value;
            var written = 0;
            foreach (var table in Schema.ScanTables)
            {
                if (failAfter is { } limit && written++ >= limit)
                    throw new StoreException($"{db.Path}: write interrupted (test)");
                Writers[table](db.Connection, scan);
            }
            if (fresh.Count > 0)
                FileResultStore.Save(db, fresh);
            if (failAfter is { } last && written >= last)
                throw new StoreException($"{db.Path}: write interrupted after the file results (test)");
            return true;
        }, error => $"{db.Path}: could not store release {scan.Release} ({error}); database unchanged");
    }

    /// <summary>Kernel Rust code lines and the code lines of all programming languages of a stored release, or null when it is not stored.</summary>
    public static ReleaseCode? Code(OxidationDatabase db, string release)
    {
        var rust = db.Query("SELECT kernel_rust_code FROM releases WHERE release = $1", release);
        if (rust.Count == 0)
            return null;
        var programming = db.Query("SELECT kind, code FROM languages WHERE release = $1", release)
            .Where(r => ScanMeasures.IsProgramming((string)r[0]!)).Sum(r => Convert.ToInt64(r[1], System.Globalization.CultureInfo.InvariantCulture));
        return new ReleaseCode(Convert.ToInt64(rust[0][0] ?? 0L, System.Globalization.CultureInfo.InvariantCulture), programming);
    }

    /// <summary>The size in bytes of every counted file of a stored release, by path.</summary>
    public static Dictionary<string, long> FileSizes(OxidationDatabase db, string release) =>
        db.Query("SELECT path, bytes FROM files WHERE release = $1", release)
            .ToDictionary(r => (string)r[0]!, r => Convert.ToInt64(r[1], System.Globalization.CultureInfo.InvariantCulture), StringComparer.Ordinal);

    /// <summary>The releases stored, oldest scan first.</summary>
    public static List<string> Releases(OxidationDatabase db) =>
        [.. db.Query("SELECT release FROM releases ORDER BY scanned_at, release").Select(r => (string)r[0]!)];

    /// <summary>The releases stored and the <c>source</c> each was scanned from (a path, or <c>REPOSITORY@COMMIT</c>).</summary>
    public static Dictionary<string, string> Sources(OxidationDatabase db) =>
        db.Query("SELECT release, source FROM releases").ToDictionary(r => (string)r[0]!, r => (string)r[1]!, StringComparer.Ordinal);

    /// <summary>The stored scan of <paramref name="release"/> as the typed result, read back from its JSON (so <see cref="ScanResult.Files"/>,
    /// <see cref="ScanResult.MaintainersText"/> and the declaration index are empty: they live in their tables); null when it is not stored.</summary>
    /// <remarks>
    /// Read strictly: a stored JSON that lacks a field the scan records now have (stored by an older Oxidation) is a
    /// <see cref="StoreException"/> naming the database and the release, never a zero read in its place.
    /// </remarks>
    public static ScanResult? Load(OxidationDatabase db, string release)
    {
        if (db.Query("SELECT json FROM releases WHERE release = $1", release).FirstOrDefault()?[0] is not string json)
            return null;
        try
        {
            return System.Text.Json.JsonSerializer.Deserialize<ScanResult>(json, StrictJson)
                ?? throw new StoreException($"{db.Path}: release {release}: its stored scan JSON is null; scan it again");
        }
        catch (System.Text.Json.JsonException ex)
        {
            throw new StoreException($"{db.Path}: release {release} was stored by another version of Oxidation ({ex.Message.Split(". Path", 2)[0].TrimEnd('.')} at {ex.Path}); scan it again", ex);
        }
    }

    private static readonly System.Text.Json.JsonSerializerOptions StrictJson = new(ScanJson.Options) { RespectRequiredConstructorParameters = true };

    /// <summary>
    /// The writer of each scan table, by name. The registry's scan tables (<see cref="Schema.ScanTables"/>) are written in
    /// their order through this map, and <see cref="CheckWriters"/> (run once, before the first write) refuses a scan
    /// table without a writer or a writer of a table the registry does not declare: a table added to the registry
    /// cannot stay silently empty.
    /// </summary>
    private static readonly Dictionary<string, Action<DuckDBConnection, ScanResult>> Writers = new(
    [
        new("releases", (c, s) =>
        {
            using var cmd = c.CreateCommand();
            cmd.CommandText = "INSERT INTO releases VALUES ($1, $2, now(), $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)";
            foreach (var v in new object[] { s.Release, s.Source, s.Summary.Files, s.Summary.Bytes, s.Summary.CountedFiles, s.Summary.BinaryFiles,
                s.Summary.Links, s.Rust.Kernel.Files, s.Rust.Kernel.Code, s.Rust.Vendored.Files, s.Rust.Vendored.Code, ScanJson.Serialize(s) })
                cmd.Parameters.Add(new DuckDBParameter(v));
            cmd.ExecuteNonQuery();
        }),
        Rows("files", s => s.Files, (r, s, f) => r.AppendValue(s.Release).AppendValue(f.Path).AppendValue(f.Language).AppendValue(f.Bytes).AppendValue(f.Code).AppendValue(f.Comment).AppendValue(f.Blank)),
        Rows("languages", s => s.Languages, (r, s, l) => r.AppendValue(s.Release).AppendValue(l.Language).AppendValue(l.Kind).AppendValue(l.Files).AppendValue(l.Code).AppendValue(l.Comment).AppendValue(l.Blank)),
        Rows("directories", s => s.Directories, (r, s, d) => r.AppendValue(s.Release).AppendValue(d.Path).AppendValue(d.Depth).AppendValue(d.Language).AppendValue(d.Files).AppendValue(d.Code).AppendValue(d.Comment).AppendValue(d.Blank)),
        Rows("rust_areas", s => s.Rust.Areas, (r, s, a) => r.AppendValue(s.Release).AppendValue(a.Area).AppendValue(a.Files).AppendValue(a.Code).AppendValue(a.Comment).AppendValue(a.Blank)),
        Rows("vendored_crates", s => s.Rust.VendoredCrates, (r, s, v) => r.AppendValue(s.Release).AppendValue(v.Name).AppendValue(v.Path).AppendValue(v.License).AppendValue(v.Files).AppendValue(v.Code).AppendValue(v.Comment).AppendValue(v.Blank)),
        Rows("rust_files", s => s.Rust.Files, (r, s, f) => r.AppendValue(s.Release).AppendValue(f.Path).AppendValue(f.Area).AppendValue(f.Crate).AppendValue(f.Unit)
            .AppendValue(f.Code).AppendValue(f.Comment).AppendValue(f.Blank).AppendValue(f.UnsafeBlocks).AppendValue(f.UnsafeBlocksJustified).AppendValue(f.UnsafeBlocksTodo)
            .AppendValue(f.UnsafeFunctions).AppendValue(f.UnsafeFunctionsDocumented).AppendValue(f.UnsafeImpls).AppendValue(f.UnsafeTraits).AppendValue(f.DocTestUnsafeBlocks)),
        Rows("rust_units", s => s.Rust.Units, (r, s, u) => r.AppendValue(s.Release).AppendValue(u.Name).AppendValue(u.Kind).AppendValue(u.Macro).AppendValue(u.Files.ToList())
            .AppendValue(u.Kconfig).AppendValue(u.KconfigAll.ToList()).AppendValue(u.Prompt).AppendValue(u.DependsOn).AppendValue(u.Experimental)
            .AppendValue(u.Counterpart).AppendValue(u.CounterpartPrompt).AppendValue(u.CounterpartEvidence).AppendValue(u.LinkedInto).AppendValue(u.Makefile)
            .AppendValue(u.Code).AppendValue(u.UnsafeBlocks)),
        Rows("unsafe_sites", s => s.Rust.Unsafe.Sites, (r, s, u) => r.AppendValue(s.Release).AppendValue(u.Path).AppendValue(u.Line).AppendValue(u.Kind).AppendValue(u.Status).AppendValue(u.Area).AppendValue(u.Unit).AppendValue(u.DocTest)),
        Rows("bindings_headers", s => s.Rust.Bindings.Headers, (r, s, h) => r.AppendValue(s.Release).AppendValue(h.Path).AppendValue(h.IncludedFrom).AppendValue(h.InTree)),
        Rows("bindings_helpers", s => s.Rust.Bindings.Helpers, (r, s, h) => r.AppendValue(s.Release).AppendValue(h.Name).AppendValue(h.File).AppendValue(h.Line)),
        Rows("bindings_items", s => s.Rust.Files.SelectMany(f => f.BindingsItems.Select(i => (f.Path, Item: i))).ToList(), (r, s, x) => r.AppendValue(s.Release).AppendValue(x.Path).AppendValue(x.Item)),
        Rows("maintainers", s => s.Maintainers, (r, s, m) => r.AppendValue(s.Release).AppendValue(m.Entry).AppendValue(m.Status).AppendValue(m.Maintainers.ToList())
            .AppendValue(m.Reviewers.ToList()).AppendValue(m.Lists.ToList()).AppendValue(m.RustFiles).AppendValue(m.Files.ToList())),
        Rows("maintainers_files", s => s.MaintainersText is null ? [] : new[] { s.MaintainersText }, (r, s, m) => r.AppendValue(s.Release).AppendValue(m)),
        Rows("c_headers", s => s.CBindings?.Headers ?? [], (r, s, h) => r.AppendValue(s.Release).AppendValue(h.Path).AppendValue(h.IncludedBy).AppendValue(h.Line).AppendValue(h.Depth).AppendValue(h.GenericWrapper)),
        Rows("c_unresolved_includes", s => s.CBindings?.Unresolved ?? [], (r, s, u) => r.AppendValue(s.Release).AppendValue(u.Target).AppendValue(u.IncludedBy).AppendValue(u.Line).AppendValue(u.Reason)),
        Rows("c_declarations", s => s.CBindings?.Index ?? [], (r, s, d) => r.AppendValue(s.Release).AppendValue(d.Header).AppendValue(d.Kind).AppendValue(d.Name).AppendValue(d.Parent)
            .AppendValue(d.Line).AppendValue(d.FirstLine).AppendValue(d.LastLine).AppendValue(d.Text).AppendValue(d.StaticInline)),
        Rows("c_helpers", s => s.CBindings?.Helpers ?? [], (r, s, h) => r.AppendValue(s.Release).AppendValue(h.Name).AppendValue(h.RustName).AppendValue(h.File).AppendValue(h.Line).AppendValue(h.Wraps.ToList())),
        Rows("rust_c_uses", s => s.CBindings?.Uses ?? [], (r, s, u) => r.AppendValue(s.Release).AppendValue(u.Path).AppendValue(u.Line).AppendValue(u.Item).AppendValue(u.Via)
            .AppendValue(u.TargetKind).AppendValue(u.Target).AppendValue(u.TargetHeader).AppendValue(u.TargetLine).AppendValue(u.Helper)),
        Rows("rust_module_uses", s => s.CBindings?.ModuleUses ?? [], (r, s, m) => r.AppendValue(s.Release).AppendValue(m.Path).AppendValue(m.Module)),
        Rows("problems", s => s.Problems, (r, s, p) => r.AppendValue(s.Release).AppendValue(p.Path).AppendValue(p.Reason).AppendValue(p.Counted)),
    ], StringComparer.Ordinal);

    private static readonly Lazy<bool> WritersChecked = new(CheckWriters);

    /// <summary>Throws unless the writers are exactly the registry's scan tables (what a test and the first save check).</summary>
    internal static bool CheckWriters()
    {
        var missing = Schema.ScanTables.Except(Writers.Keys).ToList();
        var undeclared = Writers.Keys.Except(Schema.ScanTables).ToList();
        if (missing.Count > 0 || undeclared.Count > 0)
            throw new InvalidOperationException($"scan writers and TableRegistry disagree: no writer for {string.Join(", ", missing)}; writers of undeclared tables {string.Join(", ", undeclared)}");
        return true;
    }

    /// <summary>A writer appending one row per item of <paramref name="rows"/> to <paramref name="table"/>, in the registry's column order.</summary>
    private static KeyValuePair<string, Action<DuckDBConnection, ScanResult>> Rows<T>(string table, Func<ScanResult, IEnumerable<T>> rows, Func<IDuckDBAppenderRow, ScanResult, T, IDuckDBAppenderRow> fill) =>
        new(table, (connection, scan) =>
        {
            using var appender = connection.CreateAppender(table);
            foreach (var item in rows(scan))
                fill(appender.CreateRow(), scan, item).EndRow();
        });
}
