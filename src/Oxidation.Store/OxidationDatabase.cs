using System.Data.Common;
using DuckDB.NET.Data;

namespace Oxidation.Store;

/// <summary>The database could not be opened or written: a clear message naming the file.</summary>
public sealed class StoreException(string message, Exception? inner = null) : Exception(message, inner);

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
    public DuckDBConnection Connection { get; }

    /// <summary>Opens (creating if needed) the database at <paramref name="path"/>.</summary>
    public static OxidationDatabase Open(string path)
    {
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (directory is not null && !Directory.Exists(directory))
            throw new StoreException($"{path}: directory {directory} does not exist");
        return Connect(path, $"Data Source={path}", db => db.EnsureSchema());
    }

    /// <summary>
    /// Opens an existing database for reading only (reports, claims): nothing is created or migrated, so a
    /// database still being written by another command is never changed; a missing file throws.
    /// </summary>
    public static OxidationDatabase OpenReadOnly(string path)
    {
        if (!File.Exists(path))
            throw new StoreException($"{path}: no such database (run oxidation scan or oxidation cves import first, or give --db)");
        return Connect(path, $"Data Source={path};ACCESS_MODE=READ_ONLY", db => db.CheckSchema());
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
        catch (StoreException)
        {
            connection?.Dispose();
            throw;
        }
    }

    /// <summary>For a read-only open: refuses a newer schema, and an older one that lacks tables (it cannot be migrated read-only).</summary>
    private void CheckSchema()
    {
        var version = Query("SELECT value FROM meta WHERE key = 'schema_version'").Select(r => r[0] as string).FirstOrDefault();
        if (version is null || !int.TryParse(version, out var v))
            throw new StoreException($"{Path}: not an Oxidation database (no schema version)");
        if (v > SchemaVersion)
            throw new StoreException($"{Path}: written by a newer Oxidation (schema {v}, this build knows {SchemaVersion}); refusing to read it");
        var missing = Schema.Statements.Concat(CveStore.Statements).Concat(HistoryStore.Statements)
            .Select(s => s.Split("EXISTS ")[1].Split(' ', '(')[0])
            .Where(t => Query("SELECT count(*) FROM information_schema.tables WHERE table_name = $1", t)[0][0] is 0L)
            .ToList();
        if (missing.Count > 0)
            throw new StoreException($"{Path}: written by an older Oxidation (no table {string.Join(", ", missing)}); open it once with a writing command (e.g. oxidation report) to migrate it");
    }

    private void EnsureSchema()
    {
        Execute("CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)");
        using var cmd = Connection.CreateCommand();
        cmd.CommandText = "SELECT value FROM meta WHERE key = 'schema_version'";
        var existing = cmd.ExecuteScalar() as string;
        if (existing is not null && int.TryParse(existing, out var version) && version > SchemaVersion)
            throw new StoreException($"{Path}: written by a newer Oxidation (schema {version}, this build knows {SchemaVersion}); refusing to change it");
        using var tx = Connection.BeginTransaction();
        foreach (var statement in Schema.Statements.Concat(CveStore.Statements).Concat(HistoryStore.Statements))
            Execute(statement);
        Execute($"INSERT OR REPLACE INTO meta VALUES ('schema_version', '{SchemaVersion}')");
        tx.Commit();
    }

    /// <summary>Runs a statement without results.</summary>
    public void Execute(string sql)
    {
        using var cmd = Connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    /// <summary>Runs a query and returns its rows as arrays of values.</summary>
    public List<object?[]> Query(string sql, params object?[] parameters)
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
            tx.Rollback();
            throw new StoreException(failure(FirstLine(ex.Message)), ex);
        }
        catch
        {
            tx.Rollback();
            throw;
        }
    }

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
