using System.Data.Common;
using DuckDB.NET.Data;

namespace Oxidation.Store;

/// <summary>The database could not be opened or written: a clear message naming the file.</summary>
public sealed class StoreException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>A database of an older Oxidation, opened read-only: it must be migrated by a writing open first.</summary>
internal sealed class OlderSchemaException(string message) : Exception(message);

/// <summary>
/// The embedded DuckDB database shared by every Oxidation command. Opening it creates the schema or
/// checks its version: a database from a newer Oxidation is refused, an older one migrated.
/// </summary>
public sealed class OxidationDatabase : IDisposable
{
    /// <summary>The schema version this build writes (docs/database.md).</summary>
    public const int SchemaVersion = 1;

    private OxidationDatabase(string path, DuckDBConnection connection)
    {
        Path = path;
        Connection = connection;
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <summary>The open connection.</summary>
    internal DuckDBConnection Connection { get; }

    /// <summary>
    /// Settings of every connection: no file or network access beyond the database's own files, no extension installed
    /// or loaded behind our back (an SQLite file would fetch sqlite_scanner, a URL httpfs), and the settings locked so
    /// no SQL can turn them back on. Oxidation needs none of it: it writes through appenders and reads its own tables.
    /// </summary>
    private const string Guard = ";enable_external_access=false;autoload_known_extensions=false;autoinstall_known_extensions=false;lock_configuration=true";

    /// <summary>Every table Oxidation creates (docs/database.md), <c>meta</c> first.</summary>
    internal static IEnumerable<string> Tables => TableRegistry.All.Select(t => t.Name);

    private static IEnumerable<string> Statements => TableRegistry.All.Select(t => t.CreateStatement);

    /// <summary>Opens (creating if needed) the database at <paramref name="path"/>.</summary>
    public static OxidationDatabase Open(string path)
    {
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (directory is not null && !Directory.Exists(directory))
            throw new StoreException($"{path}: directory {directory} does not exist");
        CheckFile(path, mustExist: false);
        return Connect(path, $"Data Source={path}{Guard}", db => db.EnsureSchema());
    }

    /// <summary>
    /// Opens an existing database for reading only (reports, claims, queries): nothing is created or migrated, so a
    /// database still being written by another command is never changed, and a read-only file can be read; a missing
    /// file throws. With <paramref name="migrate"/>, a database of an older Oxidation is first migrated when its file
    /// can be written (once, by a writing open), then opened read-only.
    /// </summary>
    public static OxidationDatabase OpenReadOnly(string path, bool migrate = false)
    {
        if (!File.Exists(path) && !Directory.Exists(path))
            throw new StoreException($"{path}: no such database (run oxidation scan or oxidation cves import first, or give --db)");
        CheckFile(path, mustExist: true);
        try
        {
            return Connect(path, $"Data Source={path};ACCESS_MODE=READ_ONLY{Guard}", db => db.CheckSchema());
        }
        catch (OlderSchemaException older) when (!migrate)
        {
            throw new StoreException(older.Message, older);
        }
        catch (OlderSchemaException older)
        {
            try
            {
                Open(path).Dispose();
            }
            catch (StoreException ex)
            {
                throw new StoreException($"{older.Message}, and it cannot be migrated here ({ex.Message})", ex);
            }
            try
            {
                return Connect(path, $"Data Source={path};ACCESS_MODE=READ_ONLY{Guard}", db => db.CheckSchema());
            }
            catch (OlderSchemaException again)
            {
                throw new StoreException(again.Message, again);
            }
        }
    }

    /// <summary>
    /// Names a file that is not a DuckDB database before DuckDB opens it (DuckDB would guess at it: an SQLite file makes
    /// it reach for the sqlite extension). A DuckDB file carries "DUCK" at byte 8; an empty or missing file is a new database.
    /// </summary>
    private static void CheckFile(string path, bool mustExist)
    {
        if (Directory.Exists(path))
            throw new StoreException($"{path}: is a directory, not a database");
        var info = new FileInfo(path);
        if (!info.Exists || (info.Length == 0 && !mustExist))
            return;
        Span<byte> header = stackalloc byte[16];
        int read;
        try
        {
            using var file = File.OpenRead(path);
            read = file.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StoreException($"{path}: cannot read ({ex.Message})", ex);
        }
        if (read == 16 && header.SequenceEqual("SQLite format 3\0"u8))
            throw new StoreException($"{path}: is an SQLite database, not a DuckDB one");
        if (read < 12 || !header[8..12].SequenceEqual("DUCK"u8))
            throw new StoreException($"{path}: not a DuckDB database (no DuckDB header){(read == 0 ? "; the file is empty" : "")}");
    }

    /// <summary>Connects and prepares; any failure closes the connection and becomes a <see cref="StoreException"/> naming the file.</summary>
    private static OxidationDatabase Connect(string path, string connectionString, Action<OxidationDatabase> prepare)
    {
        DuckDBConnection? connection = null;
        try
        {
            connection = new DuckDBConnection(connectionString);
            connection.Open();
            var db = new OxidationDatabase(path, connection);
            prepare(db);
            return db;
        }
        catch (DuckDBException ex)
        {
            connection?.Dispose();
            throw new StoreException($"{path}: cannot open database ({FirstLine(ex.Message)})", ex);
        }
        catch (Exception ex) when (ex is StoreException or OlderSchemaException)
        {
            connection?.Dispose();
            throw;
        }
    }

    /// <summary>For a read-only open: refuses a foreign or newer database, and an older one that lacks tables (it cannot be migrated read-only).</summary>
    private void CheckSchema()
    {
        var (version, tables) = Inspect();
        if (version is null)
            throw new StoreException(NotOurs(tables));
        if (version > SchemaVersion)
            throw new StoreException($"{Path}: written by a newer Oxidation (schema {version}, this build knows {SchemaVersion}); refusing to change it");
        var missing = Tables.Where(t => !tables.Contains(t)).ToList();
        if (missing.Count > 0)
            throw new OlderSchemaException($"{Path}: written by an older Oxidation (no table {string.Join(", ", missing)}); open it once with a writing command (e.g. oxidation scan) to migrate it");
    }

    /// <summary>
    /// Creates the schema in a new database or migrates an older one, after checking what the file holds: a DuckDB
    /// database that is not Oxidation's, or one from a newer Oxidation, is refused before anything is written.
    /// </summary>
    private void EnsureSchema()
    {
        var (version, tables) = Inspect();
        if (version is null && tables.Count > 0)
            throw new StoreException(NotOurs(tables));
        if (version > SchemaVersion)
            throw new StoreException($"{Path}: written by a newer Oxidation (schema {version}, this build knows {SchemaVersion}); refusing to change it");
        if (version == SchemaVersion && Tables.All(tables.Contains))
            return;
        using var tx = Connection.BeginTransaction();
        foreach (var statement in Statements)
            Execute(statement);
        Execute($"INSERT OR REPLACE INTO meta VALUES ('schema_version', '{SchemaVersion}')");
        tx.Commit();
    }

    /// <summary>The schema version (null: none, not an Oxidation database) and the tables of the main schema; reads only.</summary>
    private (int? Version, HashSet<string> Tables) Inspect()
    {
        var tables = Query("SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' AND table_catalog = current_database()")
            .Select(r => (string)r[0]!).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var columns = Query("SELECT column_name FROM information_schema.columns WHERE table_schema = 'main' AND table_catalog = current_database() AND table_name = 'meta'")
            .Select(r => (string)r[0]!).ToList();
        if (!columns.Contains("key") || !columns.Contains("value"))
            return (null, tables); // no meta table, or one that is not ours
        var value = Query("SELECT value FROM meta WHERE key = 'schema_version'").Select(r => r[0] as string).FirstOrDefault();
        return (int.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : null, tables);
    }

    private string NotOurs(HashSet<string> tables) =>
        $"{Path}: a DuckDB database, but not an Oxidation one ({(tables.Count == 0 ? "no tables" : $"{tables.Count} table{(tables.Count == 1 ? "" : "s")}: {string.Join(", ", tables.Order(StringComparer.Ordinal).Take(5))}{(tables.Count > 5 ? ", …" : "")}")}, no schema version); refusing to change it";

    /// <summary>Runs a statement without results.</summary>
    internal void Execute(string sql)
    {
        using var cmd = Connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    /// <summary>Runs a query and returns its rows as arrays of values.</summary>
    internal List<object?[]> Query(string sql, params object?[] parameters)
    {
        using var cmd = Connection.CreateCommand();
        cmd.CommandText = sql;
        foreach (var p in parameters)
            cmd.Parameters.Add(new DuckDBParameter { Value = p ?? DBNull.Value });
        using var reader = cmd.ExecuteReader();
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            rows.Add(row);
        }
        return rows;
    }

    /// <summary>
    /// Runs <paramref name="work"/> in one transaction: committed when it returns, rolled back when anything throws,
    /// so a failed write leaves the database as it was. A DuckDB error becomes a <see cref="StoreException"/> whose
    /// message <paramref name="failure"/> makes from DuckDB's first line.
    /// </summary>
    public T InTransaction<T>(Func<T> work, Func<string, string> failure)
    {
        using var tx = Connection.BeginTransaction();
        try
        {
            var result = work();
            tx.Commit();
            return result;
        }
        catch (DuckDBException ex)
        {
            Rollback(tx);
            throw new StoreException(failure(FirstLine(ex.Message)), ex);
        }
        catch
        {
            Rollback(tx);
            throw;
        }
    }

    /// <summary>
    /// Rolls back what is left of a failed transaction. When the failure was the commit itself (a full disk), DuckDB has
    /// already ended the transaction and rolling back throws "Transaction has already been finished": that would hide
    /// the error that matters, so a failed rollback is dropped (DuckDB keeps nothing of an uncommitted transaction).
    /// </summary>
    private static void Rollback(System.Data.Common.DbTransaction tx)
    {
        try
        {
            tx.Rollback();
        }
        catch (Exception ex) when (ex is InvalidOperationException or DuckDBException)
        {
        }
    }

    /// <summary>
    /// Runs SQL that Oxidation did not write (a claims file's <c>sql</c> form) on the one guarded path: a single SELECT,
    /// only Oxidation's tables, only the table functions <c>unnest</c>, <c>range</c> and <c>generate_series</c>, built-in
    /// functions but those that read the session's settings, never a write (rolled back), and error messages that never
    /// quote a value the query read. Returns the first value of the first row, or null when there is no row.
    /// </summary>
    /// <exception cref="UntrustedQueryException">The query was refused or failed; the message starts with a verb ("must …", "failed …").</exception>
    public UntrustedValue? QueryUntrusted(string sql, IReadOnlyDictionary<string, object>? parameters = null) =>
        UntrustedQuery.Run(this, sql, parameters ?? new Dictionary<string, object>());

    internal static string FirstLine(string message) => message.Split('\n')[0].Trim();

    /// <inheritdoc />
    public void Dispose() => Connection.Dispose();

    internal DbCommand Command(string sql, params object?[] parameters)
    {
        var cmd = Connection.CreateCommand();
        cmd.CommandText = sql;
        foreach (var p in parameters)
            cmd.Parameters.Add(new DuckDBParameter { Value = p ?? DBNull.Value });
        return cmd;
    }
}
