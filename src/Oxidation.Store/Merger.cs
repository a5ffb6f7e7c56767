using DuckDB.NET.Data;

namespace Oxidation.Store;

/// <summary>What <c>oxidation merge</c> combines: databases and export directories, into a new database.</summary>
public sealed record MergeOptions(string Output, IReadOnlyList<string> Inputs, string ToolVersion);

/// <summary>What a merge wrote: the releases, the CVE snapshot and history it kept, and the rows per table.</summary>
public sealed record MergeResult(IReadOnlyList<string> Releases, string? CveFingerprint, string? HistoryRepository, IReadOnlyDictionary<string, long> Rows);

/// <summary>The inputs cannot be merged (a conflict, another schema version, a missing manifest, a corrupt file); nothing was written.</summary>
public sealed class MergeInputException(string message) : Exception(message);

/// <summary>
/// Merges Oxidation databases and Parquet exports made on different machines into one new database, in one
/// transaction. A database input is first exported to a temporary directory, so every input is read one way: the
/// Parquet files named by its manifest. What each group of tables is keyed by decides what may be combined:
/// scans by release (different releases combine; the same release must be the same scan), the CVE tables by the
/// snapshot (one snapshot, imported the same way), the history by its repository (one history). Rows equal in two
/// inputs are kept once; rows that differ are refused, naming the release or snapshot and both inputs.
/// </summary>
public static class Merger
{
    /// <summary>
    /// Columns that record where and when a scan ran, not what it found: two machines scanning the same tarball
    /// differ in them, so they are left out of the comparison (the first input's values are kept).
    /// </summary>
    private static readonly Dictionary<string, string> ScanProvenance = new(StringComparer.Ordinal)
    {
        ["source"] = "NULL",
        ["scanned_at"] = "NULL",
        ["json"] = "json_merge_patch(\"json\", '{\"source\": null}')",
    };

    /// <summary>The groups of tables and what their rows are keyed by.</summary>
    private static IEnumerable<string> CveTables => CveStore.Tables;

    /// <summary>The history's tables. The caches (<see cref="TableGroup.Cache"/>: classifications, file results) are not merged: caches, not results.</summary>
    private static IEnumerable<string> HistoryTables => TableRegistry.Names(TableGroup.History);

    /// <summary>Merges <see cref="MergeOptions.Inputs"/> into the new database <see cref="MergeOptions.Output"/>.</summary>
    /// <exception cref="MergeInputException">The inputs conflict or cannot be read; no output is left behind.</exception>
    /// <exception cref="StoreException">A database input or the output cannot be opened or written.</exception>
    public static MergeResult Merge(MergeOptions options)
    {
        var output = Path.GetFullPath(options.Output);
        if (File.Exists(output) || Directory.Exists(output))
            throw new MergeInputException($"{options.Output}: exists; merge writes a new database (give an existing one as an input)");
        if (options.Inputs.Count == 0)
            throw new MergeInputException("nothing to merge: give databases or export directories after OUT");
        var temporary = new List<string>();
        try
        {
            var inputs = options.Inputs.Select(i => Prepare(i, options.ToolVersion, temporary)).ToList();
            OxidationDatabase.Open(output).Dispose();
            try
            {
                return Write(output, inputs);
            }
            catch
            {
                File.Delete(output);
                File.Delete(output + ".wal");
                throw;
            }
        }
        finally
        {
            foreach (var directory in temporary.Where(Directory.Exists))
                Directory.Delete(directory, recursive: true);
        }
    }

    private sealed record Input(string Name, string Directory, ExportManifest Manifest);

    /// <summary>An input as an export directory: a directory's manifest checked, a database exported to a temporary one.</summary>
    private static Input Prepare(string input, string toolVersion, List<string> temporary)
    {
        var full = Path.GetFullPath(input);
        string directory;
        if (Directory.Exists(full))
            directory = full;
        else if (File.Exists(full))
        {
            directory = Path.Combine(Path.GetTempPath(), "oxidation-merge-" + Guid.NewGuid().ToString("N")[..12]);
            temporary.Add(directory);
            try
            {
                Exporter.Export(full, new ExportOptions(directory, ExportFormat.Parquet, null, Force: false, toolVersion));
            }
            catch (OlderSchemaException ex)
            {
                throw new MergeInputException(ex.Message);
            }
        }
        else
            throw new MergeInputException($"{input}: no such database or export directory");
        ExportManifest manifest;
        try
        {
            manifest = ExportManifest.Read(directory);
        }
        catch (StoreException ex) when (directory == full)
        {
            throw new MergeInputException(ex.Message);
        }
        if (manifest.SchemaVersion != OxidationDatabase.SchemaVersion)
            throw new MergeInputException($"{input}: schema version {manifest.SchemaVersion}, this build writes {OxidationDatabase.SchemaVersion}; refusing to merge (open it with the matching Oxidation and export again)");
        if (manifest.Format != "parquet")
            throw new MergeInputException($"{input}: a {manifest.Format} export; merge reads Parquet exports (oxidation export --format parquet)");
        // The caches are not merged, so an export made before a cache table existed is still whole.
        var missing = TableRegistry.All.Where(t => t.Group != TableGroup.Cache).Select(t => t.Name).Where(t => manifest.Tables.All(e => e.Name != t)).ToList();
        if (missing.Count > 0)
            throw new MergeInputException($"{input}: the export lacks table {string.Join(", ", missing)}; merge needs a whole export (made without --tables)");
        foreach (var table in manifest.Tables)
        {
            if (table.File.Contains('/', StringComparison.Ordinal) || table.File.Contains('\\', StringComparison.Ordinal) || !File.Exists(Path.Combine(directory, table.File)))
                throw new MergeInputException($"{Path.Combine(input, table.File)}: missing (named by {ExportManifest.FileName})");
        }
        return new Input(input, directory, manifest);
    }

    private static MergeResult Write(string output, List<Input> inputs)
    {
        using var connection = Exporter.Connect(output, inputs.Select(i => i.Directory).Distinct().ToList(), readOnly: false);
        using var tx = connection.BeginTransaction();
        try
        {
            for (var i = 0; i < inputs.Count; i++)
                Load(connection, i, inputs[i]);
            var rows = new Dictionary<string, long>(StringComparer.Ordinal);
            var releases = MergeScans(connection, inputs);
            var cve = MergeWhole(connection, inputs, CveTables, "cve_fingerprint", keyMustMatch: true, "the CVE tables", i => $"CVE snapshot {inputs[i].Manifest.CveFingerprint ?? "(none)"}");
            var history = MergeWhole(connection, inputs, HistoryTables, "history_repository", keyMustMatch: false, "the histories", i => $"history of {inputs[i].Manifest.HistoryRepository ?? "(unknown repository)"}");
            MergeMeta(connection, cve, history);
            foreach (var table in OxidationDatabase.Tables)
                rows[table] = Exporter.Scalar(connection, $"SELECT count(*) FROM main.{table}");
            tx.Commit();
            return new MergeResult(releases, cve is { } c ? inputs[c].Manifest.CveFingerprint : null, history is { } h ? inputs[h].Manifest.HistoryRepository : null, rows);
        }
        catch (DuckDBException ex)
        {
            throw new StoreException($"{output}: merge failed ({OxidationDatabase.FirstLine(ex.Message)}); nothing written", ex);
        }
    }

    private static string Staged(int input, string table) => $"temp.in{input}_{table}";

    /// <summary>Reads every Parquet file of an input into a temporary table, checking its row count against the manifest.</summary>
    private static void Load(DuckDBConnection connection, int index, Input input)
    {
        foreach (var table in input.Manifest.Tables.Where(t => OxidationDatabase.Tables.Contains(t.Name)))
        {
            var file = Path.Combine(input.Directory, table.File);
            var named = Path.Combine(input.Name, table.File);
            try
            {
                Exporter.Execute(connection, $"CREATE TEMP TABLE in{index}_{table.Name} AS SELECT * FROM read_parquet('{Exporter.Quote(file)}')");
            }
            catch (DuckDBException ex)
            {
                throw new MergeInputException($"{named}: not a readable Parquet file ({OxidationDatabase.FirstLine(ex.Message)})");
            }
            var rows = Exporter.Scalar(connection, $"SELECT count(*) FROM {Staged(index, table.Name)}");
            if (rows != table.Rows)
                throw new MergeInputException($"{named}: {rows} rows, {ExportManifest.FileName} says {table.Rows}; the export is incomplete");
        }
    }

    /// <summary>
    /// The fingerprint of a table's rows per key: count and the sum of the rows' hashes, which does not depend on their
    /// order; computed by DuckDB in one pass, so the comparison is proportional to the rows.
    /// </summary>
    private static Dictionary<string, string> Fingerprints(DuckDBConnection connection, int input, string table, string? key, Dictionary<string, string> ignored)
    {
        var columns = Exporter.Columns(connection, table).Select(c => ignored.TryGetValue(c.Name, out var e) ? e : $"\"{c.Name}\"");
        var keyed = key is null ? "''" : key;
        using var cmd = connection.CreateCommand();
        cmd.CommandText = $"SELECT {keyed}, count(*), coalesce(sum(hash({string.Join(", ", columns)})), 0)::VARCHAR FROM {Staged(input, table)} GROUP BY ALL";
        using var reader = cmd.ExecuteReader();
        var prints = new Dictionary<string, string>(StringComparer.Ordinal);
        while (reader.Read())
            prints[reader.IsDBNull(0) ? "" : reader.GetString(0)] = $"{reader.GetInt64(1)}:{reader.GetString(2)}";
        return prints;
    }

    /// <summary>Scans: each release from the first input that holds it, after checking every other input holds the same scan.</summary>
    private static List<string> MergeScans(DuckDBConnection connection, List<Input> inputs)
    {
        var owner = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var prints = new Dictionary<(int, string), Dictionary<string, string>>();
        Dictionary<string, string> Print(int i, string table) =>
            prints.TryGetValue((i, table), out var p) ? p : prints[(i, table)] = Fingerprints(connection, i, table, "release", table == "releases" ? ScanProvenance : new Dictionary<string, string>());
        for (var i = 0; i < inputs.Count; i++)
        {
            foreach (var release in Exporter.Strings(connection, $"SELECT release FROM {Staged(i, "releases")} ORDER BY release"))
            {
                if (!owner.TryGetValue(release, out var first))
                {
                    owner[release] = i;
                    continue;
                }
                var differing = Schema.ScanTables.Where(t => Print(first, t).GetValueOrDefault(release) != Print(i, t).GetValueOrDefault(release)).ToList();
                if (differing.Count > 0)
                    throw new MergeInputException($"release {release} is in {inputs[first].Name} and in {inputs[i].Name}, scanned differently ({string.Join(", ", differing)} differ); refusing to keep either: merge one of them");
            }
        }
        foreach (var table in Schema.ScanTables)
        {
            for (var i = 0; i < inputs.Count; i++)
            {
                var mine = owner.Where(o => o.Value == i).Select(o => $"'{o.Key.Replace("'", "''", StringComparison.Ordinal)}'").ToList();
                if (mine.Count > 0)
                    Exporter.Execute(connection, $"INSERT INTO main.{table} BY NAME SELECT * FROM {Staged(i, table)} WHERE release IN ({string.Join(", ", mine)})");
            }
        }
        return [.. owner.Keys];
    }

    /// <summary>
    /// A group stored whole (the CVE tables, the history): the inputs that hold one must all hold the same: equal rows,
    /// and with <paramref name="keyMustMatch"/> the same <paramref name="metaKey"/> (the CVE snapshot's fingerprint; a
    /// history's repository is a path, which differs between machines mining the same repository). It is written from
    /// the first input holding it, which is returned (null: no input holds one).
    /// </summary>
    private static int? MergeWhole(DuckDBConnection connection, List<Input> inputs, IEnumerable<string> tables, string metaKey, bool keyMustMatch, string what, Func<int, string> describe)
    {
        var group = tables.ToList();
        int? first = null;
        Dictionary<string, string>? firstPrints = null;
        for (var i = 0; i < inputs.Count; i++)
        {
            var key = MetaValue(connection, i, metaKey);
            var rows = group.Sum(t => Exporter.Scalar(connection, $"SELECT count(*) FROM {Staged(i, t)}"));
            if (rows == 0 && key is null)
                continue;
            var prints = group.ToDictionary(t => t, t => string.Join(";", Fingerprints(connection, i, t, null, new Dictionary<string, string>()).Values));
            if (first is not { } f)
            {
                first = i;
                firstPrints = prints;
                continue;
            }
            var sameKey = MetaValue(connection, f, metaKey) == key;
            var differing = group.Where(t => firstPrints![t] != prints[t]).ToList();
            if ((keyMustMatch && !sameKey) || differing.Count > 0)
            {
                throw new MergeInputException(sameKey
                    ? $"{what} differ: {inputs[f].Name} and {inputs[i].Name} both hold the {describe(f)} but with different rows ({string.Join(", ", differing)}); refusing to keep either"
                    : $"{what} differ: {inputs[f].Name} holds the {describe(f)}, {inputs[i].Name} the {describe(i)}{(differing.Count > 0 ? $" (rows of {string.Join(", ", differing)} differ)" : "")}; refusing to keep either: merge databases holding one");
            }
        }
        if (first is { } owner)
        {
            foreach (var table in group)
                Exporter.Execute(connection, $"INSERT INTO main.{table} BY NAME SELECT * FROM {Staged(owner, table)}");
        }
        return first;
    }

    private static string? MetaValue(DuckDBConnection connection, int input, string key)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = $"SELECT value FROM {Staged(input, "meta")} WHERE key = $1";
        cmd.Parameters.Add(new DuckDBParameter(key));
        return cmd.ExecuteScalar() as string;
    }

    /// <summary>
    /// <c>meta</c>: the schema version (equal in every input, checked), the CVE keys from the input whose CVE tables
    /// were kept, the history keys from the input whose history was kept.
    /// </summary>
    private static void MergeMeta(DuckDBConnection connection, int? cve, int? history)
    {
        void Copy(int? from, string prefix)
        {
            if (from is { } i)
                Exporter.Execute(connection, $"INSERT OR REPLACE INTO main.meta SELECT key, value FROM {Staged(i, "meta")} WHERE key LIKE '{prefix}%'");
        }
        Copy(cve, "cve_");
        Copy(history, "history_");
    }
}
