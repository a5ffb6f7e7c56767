using Oxidation.Scanning;
using Oxidation.Store;

namespace Oxidation.Git.Tests;

/// <summary>The scan's file cache in the database (file_results) on a repository built here.</summary>
public sealed class FileCacheTests
{
    /// <summary>
    /// v6.0 of <see cref="KernelRepository.Standard"/> has three files: Makefile (kept for the analyses, never cached),
    /// init/main.c and .mailmap (cached). A failed store keeps none of them and gives them back to the cache; the next
    /// store writes both; a scan with another rules version finds none.
    /// </summary>
    [Fact]
    public void File_results_are_stored_with_the_scan_or_not_at_all()
    {
        using var repo = KernelRepository.Standard();
        var path = Path.Combine(repo.Path, "oxidation.duckdb");
        using var db = OxidationDatabase.Open(path);
        var cache = new ScanCache(new FileResultStore(db));
        var scan = Scanner.Scan(GitSourceTree.Open(repo.Path, "v6.0"), 1, cache: cache);
        Assert.Equal(3, scan.Summary.Files);
        Assert.Equal(0, scan.Reused);

        // A failure after every scan table and the file results are written (failAfter = the scan tables' count).
        var error = Assert.Throws<StoreException>(() => ScanStore.Save(db, scan, cache, failAfter: TableRegistry.Names(TableGroup.Scan).Length));
        Assert.Contains("after the file results", error.Message);
        Assert.Equal(0L, db.Query("SELECT count(*) FROM file_results")[0][0]);
        Assert.Equal(0L, db.Query("SELECT count(*) FROM releases")[0][0]);
        Assert.Throws<StoreException>(() => ScanStore.Save(db, scan, cache, failAfter: 2)); // and one half way
        Assert.Equal(0L, db.Query("SELECT count(*) FROM file_results")[0][0]);

        ScanStore.Save(db, scan, cache);
        var stored = db.Query("SELECT name, language, bytes, code, is_binary FROM file_results ORDER BY name").Select(r => string.Join(" ", r)).ToList();
        // init/main.c is "int main;\n": one C code line of 10 bytes; .mailmap is one line of 47 bytes in no language of
        // the catalog ("Other").
        Assert.Equal([".mailmap Other 47 1 False", "main.c C 10 1 False"], stored);

        // A later scan of the same tag takes both from the database; a rules version with no rows finds nothing.
        var later = Scanner.Scan(GitSourceTree.Open(repo.Path, "v6.0"), 1, cache: new ScanCache(new FileResultStore(db)));
        Assert.Equal(2, later.Reused);
        var ids = db.Query("SELECT content_id, name FROM file_results").Select(r => ((string)r[0]!, (string)r[1]!)).ToList();
        Assert.Equal(2, new FileResultStore(db).Find(ids, ScanCache.Version).Count());
        Assert.Empty(new FileResultStore(db).Find(ids, "oxidation-core another"));
        // The same blob under another name is another result (the language depends on the name).
        Assert.Empty(new FileResultStore(db).Find([.. ids.Select(i => (i.Item1, "other-" + i.Item2))], ScanCache.Version));
        // No store: nothing is kept to be stored.
        var unstored = new ScanCache();
        Scanner.Scan(GitSourceTree.Open(repo.Path, "v6.0"), 1, cache: unstored);
        Assert.Empty(unstored.TakeFresh());
    }
}
