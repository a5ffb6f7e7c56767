using DuckDB.NET.Data;
using Oxidation.Model;

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
    public static void Save(OxidationDatabase db, ScanResult scan, int? failAfter = null)
    {
        db.InTransaction(() =>
        {
            foreach (var table in Schema.ScanTables)
            {
                using var delete = db.Command($"DELETE FROM {table} WHERE release = $1", scan.Release);
                delete.ExecuteNonQuery();
            }
            var written = 0;
            foreach (var write in Writers)
            {
                if (failAfter is { } limit && written++ >= limit)
                    throw new StoreException($"{db.Path}: write interrupted (test)");
                write(db.Connection, scan);
            }
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
    public static ScanResult? Load(OxidationDatabase db, string release) =>
        db.Query("SELECT json FROM releases WHERE release = $1", release).FirstOrDefault()?[0] is string json
            ? System.Text.Json.JsonSerializer.Deserialize<ScanResult>(json, ScanJson.Options)
            : null;

    private static readonly Action<DuckDBConnection, ScanResult>[] Writers =
    [
        (c, s) =>
        {
            using var cmd = c.CreateCommand();
            cmd.CommandText = "INSERT INTO releases VALUES ($1, $2, now(), $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)";
            foreach (var v in new object[] { s.Release, s.Source, s.Summary.Files, s.Summary.Bytes, s.Summary.CountedFiles, s.Summary.BinaryFiles,
                s.Summary.Links, s.Rust.Kernel.Files, s.Rust.Kernel.Code, s.Rust.Vendored.Files, s.Rust.Vendored.Code, ScanJson.Serialize(s) })
                cmd.Parameters.Add(new DuckDBParameter(v));
            cmd.ExecuteNonQuery();
        },
        (c, s) => Append(c, "files", s.Files, (r, f) => r.AppendValue(s.Release).AppendValue(f.Path).AppendValue(f.Language).AppendValue(f.Bytes).AppendValue(f.Code).AppendValue(f.Comment).AppendValue(f.Blank)),
        (c, s) => Append(c, "languages", s.Languages, (r, l) => r.AppendValue(s.Release).AppendValue(l.Language).AppendValue(l.Kind).AppendValue(l.Files).AppendValue(l.Code).AppendValue(l.Comment).AppendValue(l.Blank)),
        (c, s) => Append(c, "directories", s.Directories, (r, d) => r.AppendValue(s.Release).AppendValue(d.Path).AppendValue(d.Depth).AppendValue(d.Language).AppendValue(d.Files).AppendValue(d.Code).AppendValue(d.Comment).AppendValue(d.Blank)),
        (c, s) => Append(c, "rust_areas", s.Rust.Areas, (r, a) => r.AppendValue(s.Release).AppendValue(a.Area).AppendValue(a.Files).AppendValue(a.Code).AppendValue(a.Comment).AppendValue(a.Blank)),
        (c, s) => Append(c, "vendored_crates", s.Rust.VendoredCrates, (r, v) => r.AppendValue(s.Release).AppendValue(v.Name).AppendValue(v.Path).AppendValue(v.License).AppendValue(v.Files).AppendValue(v.Code).AppendValue(v.Comment).AppendValue(v.Blank)),
        (c, s) => Append(c, "rust_files", s.Rust.Files, (r, f) => r.AppendValue(s.Release).AppendValue(f.Path).AppendValue(f.Area).AppendValue(f.Crate).AppendValue(f.Unit)
            .AppendValue(f.Code).AppendValue(f.Comment).AppendValue(f.Blank).AppendValue(f.UnsafeBlocks).AppendValue(f.UnsafeBlocksJustified).AppendValue(f.UnsafeBlocksTodo)
            .AppendValue(f.UnsafeFunctions).AppendValue(f.UnsafeFunctionsDocumented).AppendValue(f.UnsafeImpls).AppendValue(f.UnsafeTraits).AppendValue(f.DocTestUnsafeBlocks)),
        (c, s) => Append(c, "rust_units", s.Rust.Units, (r, u) => r.AppendValue(s.Release).AppendValue(u.Name).AppendValue(u.Kind).AppendValue(u.Macro).AppendValue(u.Files.ToList())
            .AppendValue(u.Kconfig).AppendValue(u.KconfigAll.ToList()).AppendValue(u.Prompt).AppendValue(u.DependsOn).AppendValue(u.Experimental)
            .AppendValue(u.Counterpart).AppendValue(u.CounterpartPrompt).AppendValue(u.CounterpartEvidence).AppendValue(u.LinkedInto).AppendValue(u.Makefile)
            .AppendValue(u.Code).AppendValue(u.UnsafeBlocks)),
        (c, s) => Append(c, "unsafe_sites", s.Rust.Unsafe.Sites, (r, u) => r.AppendValue(s.Release).AppendValue(u.Path).AppendValue(u.Line).AppendValue(u.Kind).AppendValue(u.Status).AppendValue(u.Area).AppendValue(u.Unit).AppendValue(u.DocTest)),
        (c, s) => Append(c, "bindings_headers", s.Rust.Bindings.Headers, (r, h) => r.AppendValue(s.Release).AppendValue(h.Path).AppendValue(h.IncludedFrom).AppendValue(h.InTree)),
        (c, s) => Append(c, "bindings_helpers", s.Rust.Bindings.Helpers, (r, h) => r.AppendValue(s.Release).AppendValue(h.Name).AppendValue(h.File).AppendValue(h.Line)),
        (c, s) => Append(c, "bindings_items", s.Rust.Files.SelectMany(f => f.BindingsItems.Select(i => (f.Path, Item: i))).ToList(), (r, x) => r.AppendValue(s.Release).AppendValue(x.Path).AppendValue(x.Item)),
        (c, s) => Append(c, "maintainers", s.Maintainers, (r, m) => r.AppendValue(s.Release).AppendValue(m.Entry).AppendValue(m.Status).AppendValue(m.Maintainers.ToList())
            .AppendValue(m.Reviewers.ToList()).AppendValue(m.Lists.ToList()).AppendValue(m.RustFiles).AppendValue(m.Files.ToList())),
        (c, s) => Append(c, "maintainers_files", s.MaintainersText is null ? [] : new[] { s.MaintainersText }, (r, m) => r.AppendValue(s.Release).AppendValue(m)),
        (c, s) => Append(c, "c_headers", s.CBindings?.Headers ?? [], (r, h) => r.AppendValue(s.Release).AppendValue(h.Path).AppendValue(h.IncludedBy).AppendValue(h.Line).AppendValue(h.Depth).AppendValue(h.GenericWrapper)),
        (c, s) => Append(c, "c_unresolved_includes", s.CBindings?.Unresolved ?? [], (r, u) => r.AppendValue(s.Release).AppendValue(u.Target).AppendValue(u.IncludedBy).AppendValue(u.Line).AppendValue(u.Reason)),
        (c, s) => Append(c, "c_declarations", s.CBindings?.Index ?? [], (r, d) => r.AppendValue(s.Release).AppendValue(d.Header).AppendValue(d.Kind).AppendValue(d.Name).AppendValue(d.Parent)
            .AppendValue(d.Line).AppendValue(d.FirstLine).AppendValue(d.LastLine).AppendValue(d.Text).AppendValue(d.StaticInline)),
        (c, s) => Append(c, "c_helpers", s.CBindings?.Helpers ?? [], (r, h) => r.AppendValue(s.Release).AppendValue(h.Name).AppendValue(h.RustName).AppendValue(h.File).AppendValue(h.Line).AppendValue(h.Wraps.ToList())),
        (c, s) => Append(c, "rust_c_uses", s.CBindings?.Uses ?? [], (r, u) => r.AppendValue(s.Release).AppendValue(u.Path).AppendValue(u.Line).AppendValue(u.Item).AppendValue(u.Via)
            .AppendValue(u.TargetKind).AppendValue(u.Target).AppendValue(u.TargetHeader).AppendValue(u.TargetLine).AppendValue(u.Helper)),
        (c, s) => Append(c, "rust_module_uses", s.CBindings?.ModuleUses ?? [], (r, m) => r.AppendValue(s.Release).AppendValue(m.Path).AppendValue(m.Module)),
        (c, s) => Append(c, "problems", s.Problems, (r, p) => r.AppendValue(s.Release).AppendValue(p.Path).AppendValue(p.Reason).AppendValue(p.Counted)),
    ];

    private static void Append<T>(DuckDBConnection connection, string table, IEnumerable<T> rows, Func<IDuckDBAppenderRow, T, IDuckDBAppenderRow> fill)
    {
        using var appender = connection.CreateAppender(table);
        foreach (var item in rows)
        {
            var row = appender.CreateRow();
            fill(row, item).EndRow();
        }
    }
}
