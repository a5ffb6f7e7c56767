using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using DuckDB.NET.Data;

namespace Oxidation.Store;

/// <summary>The file format of an export: Parquet (typed, compressed, what Spark and Trino read) or CSV.</summary>
public enum ExportFormat
{
    /// <summary>Parquet, zstd-compressed, types kept.</summary>
    Parquet,

    /// <summary>CSV with a header line.</summary>
    Csv,
}

/// <summary>What to export and where: every table unless <see cref="Tables"/> names some.</summary>
public sealed record ExportOptions(string Directory, ExportFormat Format, IReadOnlyList<string>? Tables, bool Force, string ToolVersion);

/// <summary>One exported table: its file, row count and column types (DuckDB's names).</summary>
public sealed record ExportedTable(string Name, string File, long Rows, IReadOnlyList<ExportedColumn> Columns);

/// <summary>A column of an exported table.</summary>
public sealed record ExportedColumn(string Name, string Type);

/// <summary>
/// <c>manifest.json</c> of an export: what a merge checks before it reads a row (schema version, files, row counts),
/// and what a reader needs to know without opening the files (releases, CVE snapshot, history repository).
/// </summary>
public sealed record ExportManifest(
    string Kind,
    int SchemaVersion,
    string ToolVersion,
    string Format,
    IReadOnlyList<string> Releases,
    string? CveFingerprint,
    string? HistoryRepository,
    IReadOnlyList<ExportedTable> Tables)
{
    /// <summary>The value of <see cref="Kind"/>: names the file for what it is.</summary>
    public const string ExportKind = "oxidation-export";

    /// <summary>The manifest's file name in an export directory.</summary>
    public const string FileName = "manifest.json";

    internal static JsonSerializerOptions Json { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>Reads the manifest of <paramref name="directory"/>; a missing or malformed one is a <see cref="StoreException"/> naming it.</summary>
    public static ExportManifest Read(string directory)
    {
        var path = System.IO.Path.Combine(directory, FileName);
        if (!File.Exists(path))
            throw new StoreException($"{directory}: no {FileName}, not an Oxidation export (make one with oxidation export)");
        try
        {
            var manifest = JsonSerializer.Deserialize<ExportManifest>(File.ReadAllText(path), Json);
            if (manifest is null || manifest.Kind != ExportKind || manifest.Tables is null || manifest.Releases is null)
                throw new StoreException($"{path}: not an Oxidation export manifest (no \"kind\": \"{ExportKind}\")");
            return manifest;
        }
        catch (JsonException ex)
        {
            throw new StoreException($"{path}: malformed manifest ({ex.Message.Split('\n')[0].Trim()})", ex);
        }
        catch (IOException ex)
        {
            throw new StoreException($"{path}: cannot read ({ex.Message})", ex);
        }
    }
}

/// <summary>The output directory cannot take an export: not empty, not writable, not a directory.</summary>
public sealed class ExportOutputException(string message) : Exception(message);

/// <summary>
/// Writes the tables of a database as Parquet or CSV files with DuckDB's own <c>COPY … TO</c>, plus <c>manifest.json</c>.
/// Every Oxidation connection runs with external access off and locked; an export opens one more connection of its
/// own, read-only, whose only allowed directory is the output directory (DuckDB's <c>allowed_directories</c>), and
/// runs only the statements below on it. The guarded path for untrusted claim SQL is not touched.
/// </summary>
public static class Exporter
{
    /// <summary>The file name of a table in an export.</summary>
    public static string FileName(string table, ExportFormat format) => table + (format == ExportFormat.Parquet ? ".parquet" : ".csv");

    /// <summary>
    /// Exports the database at <paramref name="databasePath"/> into <see cref="ExportOptions.Directory"/> (created when
    /// missing; refused when not empty, unless <see cref="ExportOptions.Force"/>).
    /// </summary>
    /// <exception cref="ExportOutputException">The directory cannot be written, or the table list names an unknown table.</exception>
    /// <exception cref="StoreException">The database cannot be opened or read.</exception>
    public static ExportManifest Export(string databasePath, ExportOptions options)
    {
        // The checks of every read-only open first: a file that is not an Oxidation database, or a newer one, is named.
        using (OxidationDatabase.OpenReadOnly(databasePath))
        {
        }
        var tables = SelectTables(options.Tables);
        var directory = PrepareDirectory(options.Directory, options.Force);
        using var connection = Connect(databasePath, directory, readOnly: true);
        try
        {
            var meta = Meta(connection);
            var exported = new List<ExportedTable>();
            foreach (var table in tables)
            {
                var file = FileName(table, options.Format);
                var target = System.IO.Path.Combine(directory, file);
                var format = options.Format == ExportFormat.Parquet ? "FORMAT parquet, COMPRESSION zstd" : "FORMAT csv, HEADER true";
                Execute(connection, $"COPY {table} TO '{Quote(target)}' ({format})");
                exported.Add(new ExportedTable(table, file, Scalar(connection, $"SELECT count(*) FROM {table}"), Columns(connection, table)));
            }
            var releases = Strings(connection, "SELECT release FROM releases ORDER BY release");
            var manifest = new ExportManifest(ExportManifest.ExportKind,
                int.Parse(meta.GetValueOrDefault("schema_version", "0"), CultureInfo.InvariantCulture), options.ToolVersion,
                options.Format == ExportFormat.Parquet ? "parquet" : "csv", releases,
                meta.GetValueOrDefault("cve_fingerprint"), meta.GetValueOrDefault("history_repository"), exported);
            File.WriteAllText(System.IO.Path.Combine(directory, ExportManifest.FileName), JsonSerializer.Serialize(manifest, ExportManifest.Json) + "\n");
            return manifest;
        }
        catch (DuckDBException ex)
        {
            throw new StoreException($"{databasePath}: export to {directory} failed ({OxidationDatabase.FirstLine(ex.Message)})", ex);
        }
        catch (IOException ex)
        {
            throw new ExportOutputException($"{directory}: cannot write ({ex.Message})");
        }
    }

    /// <summary>The tables to export, in the schema's order: every table (meta first), or those named (meta always, a merge needs it).</summary>
    private static List<string> SelectTables(IReadOnlyList<string>? named)
    {
        var all = OxidationDatabase.Tables.ToList();
        if (named is null || named.Count == 0)
            return all;
        var unknown = named.Where(n => !all.Contains(n, StringComparer.Ordinal)).ToList();
        if (unknown.Count > 0)
            throw new ExportOutputException($"--tables: no table {string.Join(", ", unknown)} (tables: {string.Join(", ", all)})");
        return [.. all.Where(t => t == "meta" || named.Contains(t, StringComparer.Ordinal))];
    }

    /// <summary>Creates the directory, or checks an existing one is empty (with <paramref name="force"/>: removes earlier export files) and writable.</summary>
    private static string PrepareDirectory(string path, bool force)
    {
        var directory = System.IO.Path.GetFullPath(path);
        try
        {
            if (File.Exists(directory))
                throw new ExportOutputException($"{path}: is a file, not a directory");
            if (Directory.Exists(directory) && Directory.EnumerateFileSystemEntries(directory).Any())
            {
                if (!force)
                    throw new ExportOutputException($"{path}: not empty; export into a new or empty directory, or give --force to replace its files");
                foreach (var old in Directory.EnumerateFiles(directory).Where(f => f.EndsWith(".parquet", StringComparison.Ordinal) || f.EndsWith(".csv", StringComparison.Ordinal) || System.IO.Path.GetFileName(f) == ExportManifest.FileName))
                    File.Delete(old);
            }
            Directory.CreateDirectory(directory);
            var probe = System.IO.Path.Combine(directory, ".oxidation-write-test");
            File.WriteAllText(probe, "");
            File.Delete(probe);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ExportOutputException($"{path}: cannot write ({ex.Message})");
        }
        return directory;
    }

    /// <summary>
    /// A connection to <paramref name="databasePath"/> that may read and write files only under <paramref name="allowed"/>
    /// (DuckDB's <c>allowed_directories</c>, then external access off and the configuration locked, in the connection
    /// string so that no statement can change them). Only Oxidation's own statements run on it.
    /// </summary>
    internal static DuckDBConnection Connect(string databasePath, string allowed, bool readOnly) =>
        Connect(databasePath, [allowed], readOnly);

    internal static DuckDBConnection Connect(string databasePath, IReadOnlyList<string> allowed, bool readOnly)
    {
        // DuckDB takes a list setting only in SQL: the first statements on the new connection set the allowed
        // directories, then turn external access and extension loading off and lock the configuration, before any
        // other statement runs. External access can be turned off at run time, never back on.
        var list = string.Join(", ", allowed.Select(d => $"'{Quote(d.TrimEnd('/') + "/")}'"));
        var connection = new DuckDBConnection($"Data Source={databasePath}{(readOnly ? ";ACCESS_MODE=READ_ONLY" : "")};autoload_known_extensions=false;autoinstall_known_extensions=false");
        try
        {
            connection.Open();
            Execute(connection, $"SET allowed_directories = [{list}]");
            Execute(connection, "SET enable_external_access = false");
            Execute(connection, "SET lock_configuration = true");
        }
        catch (DuckDBException ex)
        {
            connection.Dispose();
            throw new StoreException($"{databasePath}: cannot open database ({OxidationDatabase.FirstLine(ex.Message)})", ex);
        }
        return connection;
    }

    private static Dictionary<string, string> Meta(DuckDBConnection connection)
    {
        var meta = new Dictionary<string, string>(StringComparer.Ordinal);
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT key, value FROM meta";
        using var reader = cmd.ExecuteReader();
        while (reader.Read())
            meta[reader.GetString(0)] = reader.IsDBNull(1) ? "" : reader.GetString(1);
        return meta;
    }

    internal static List<ExportedColumn> Columns(DuckDBConnection connection, string table)
    {
        var columns = new List<ExportedColumn>();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'main' AND table_catalog = current_database() AND table_name = $1 ORDER BY ordinal_position";
        cmd.Parameters.Add(new DuckDBParameter(table));
        using var reader = cmd.ExecuteReader();
        while (reader.Read())
            columns.Add(new ExportedColumn(reader.GetString(0), reader.GetString(1)));
        return columns;
    }

    internal static void Execute(DuckDBConnection connection, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    internal static long Scalar(DuckDBConnection connection, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(cmd.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    internal static List<string> Strings(DuckDBConnection connection, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        using var reader = cmd.ExecuteReader();
        var values = new List<string>();
        while (reader.Read())
            values.Add(reader.GetString(0));
        return values;
    }

    /// <summary>A path inside an SQL string literal (paths come from the user's command line, never from SQL).</summary>
    internal static string Quote(string path) => path.Replace("'", "''", StringComparison.Ordinal);
}
