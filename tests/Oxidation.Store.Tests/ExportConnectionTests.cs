using DuckDB.NET.Data;

namespace Oxidation.Store.Tests;

/// <summary>
/// The connection an export or merge opens may write only into its own directory: DuckDB refuses a COPY elsewhere,
/// and the settings cannot be turned back on (the guard every other connection has stays as it is).
/// </summary>
public sealed class ExportConnectionTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("oxidation-export-guard-");

    public void Dispose() => _work.Delete(recursive: true);

    private DuckDBConnection Open(out string allowed)
    {
        var database = Path.Combine(_work.FullName, "db.duckdb");
        OxidationDatabase.Open(database).Dispose();
        allowed = Path.Combine(_work.FullName, "out");
        Directory.CreateDirectory(allowed);
        return Exporter.Connect(database, allowed, readOnly: true);
    }

    [Fact]
    public void A_copy_into_the_allowed_directory_is_written()
    {
        using var connection = Open(out var allowed);
        Exporter.Execute(connection, $"COPY meta TO '{allowed}/meta.parquet' (FORMAT parquet)");
        Assert.True(File.Exists(Path.Combine(allowed, "meta.parquet")));
    }

    [Fact]
    public void A_copy_anywhere_else_is_refused()
    {
        using var connection = Open(out _);
        var elsewhere = Path.Combine(_work.FullName, "elsewhere.parquet");
        Assert.Throws<DuckDBException>(() => Exporter.Execute(connection, $"COPY meta TO '{elsewhere}' (FORMAT parquet)"));
        Assert.Throws<DuckDBException>(() => Exporter.Execute(connection, "COPY meta TO '/tmp/oxidation-export-guard.csv'"));
        Assert.False(File.Exists(elsewhere));
    }

    [Fact]
    public void The_settings_are_locked()
    {
        using var connection = Open(out _);
        Assert.Throws<DuckDBException>(() => Exporter.Execute(connection, "SET enable_external_access = true"));
        Assert.Throws<DuckDBException>(() => Exporter.Execute(connection, "SET allowed_directories = ['/']"));
        Assert.Throws<DuckDBException>(() => Exporter.Execute(connection, "SET lock_configuration = false"));
    }
}
