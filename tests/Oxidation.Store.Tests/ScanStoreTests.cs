using Oxidation.Scanning;

namespace Oxidation.Store.Tests;

public sealed class ScanStoreTests : IDisposable
{
    private readonly string _db = Path.Combine(Path.GetTempPath(), $"oxidation-{Guid.NewGuid():N}.duckdb");

    public void Dispose()
    {
        File.Delete(_db);
        File.Delete(_db + ".wal");
    }

    [Fact]
    public void A_scan_is_stored_and_read_back()
    {
        using var tree = new TinyTree();
        var scan = Scanner.Scan(ScanOptions.For(tree.Root));
        using var db = OxidationDatabase.Open(_db);
        ScanStore.Save(db, scan);
        Assert.Equal(["6.99.3-test"], ScanStore.Releases(db));
        var unit = Assert.Single(db.Query("SELECT name, kconfig, experimental FROM rust_units"));
        Assert.Equal(["foo_rust", "FOO_RUST", true], unit);
        Assert.Equal(1L, db.Query("SELECT count(*) FROM unsafe_sites WHERE status = 'unjustified'")[0][0]);
        Assert.Equal(5L, db.Query("SELECT count(*) FROM files")[0][0]);
    }

    [Fact]
    public void A_stored_scan_lacking_a_field_is_an_error_naming_the_release_not_a_zero()
    {
        using var tree = new TinyTree();
        using var db = OxidationDatabase.Open(_db);
        ScanStore.Save(db, Scanner.Scan(ScanOptions.For(tree.Root)));
        Assert.Equal(1, ScanStore.Load(db, "6.99.3-test")!.Rust.Unsafe.ByArea.Sum(g => g.BlocksUnjustified));
        // As a database scanned before the unsafe groups counted justified impls holds it.
        db.Execute("UPDATE releases SET json = replace(json, '\"implsJustified\"', '\"implsJustifiedOld\"')");
        var ex = Assert.Throws<StoreException>(() => ScanStore.Load(db, "6.99.3-test"));
        Assert.Contains(_db, ex.Message);
        Assert.Contains("release 6.99.3-test was stored by another version of Oxidation", ex.Message);
        Assert.Contains("implsJustified", ex.Message);
        Assert.EndsWith("scan it again", ex.Message);
    }

    [Fact]
    public void Scanning_the_same_release_again_replaces_its_rows()
    {
        using var tree = new TinyTree();
        using var db = OxidationDatabase.Open(_db);
        ScanStore.Save(db, Scanner.Scan(ScanOptions.For(tree.Root)));
        tree.Write("kernel/b.c", "int b;\n");
        ScanStore.Save(db, Scanner.Scan(ScanOptions.For(tree.Root)));
        Assert.Equal(6L, db.Query("SELECT count(*) FROM files")[0][0]);
        Assert.Equal(1L, db.Query("SELECT count(*) FROM releases")[0][0]);
    }

    [Fact]
    public void A_write_that_fails_part_way_leaves_the_database_as_it_was()
    {
        using var tree = new TinyTree();
        using var db = OxidationDatabase.Open(_db);
        ScanStore.Save(db, Scanner.Scan(ScanOptions.For(tree.Root)));
        tree.Write("kernel/b.c", "int b;\n");
        var second = Scanner.Scan(ScanOptions.For(tree.Root));
        Assert.Throws<StoreException>(() => ScanStore.Save(db, second, failAfter: 3));
        Assert.Equal(5L, db.Query("SELECT count(*) FROM files")[0][0]);
        Assert.Equal(1L, db.Query("SELECT count(*) FROM rust_units")[0][0]);
    }

    [Fact]
    public void A_database_from_a_newer_version_is_refused_and_left_alone()
    {
        using (var db = OxidationDatabase.Open(_db))
            db.Execute("UPDATE meta SET value = '999' WHERE key = 'schema_version'");
        var error = Assert.Throws<StoreException>(() => OxidationDatabase.Open(_db));
        Assert.Contains("newer Oxidation", error.Message, StringComparison.Ordinal);
        Assert.Contains(_db, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_is_not_a_database_gets_a_clear_error()
    {
        File.WriteAllText(_db, "this is not duckdb");
        var error = Assert.Throws<StoreException>(() => OxidationDatabase.Open(_db));
        Assert.Equal(_db + ": not a DuckDB database (no DuckDB header)", error.Message);
    }
}
