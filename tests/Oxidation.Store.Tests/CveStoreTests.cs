using Oxidation.Cves;

namespace Oxidation.Store.Tests;

public sealed class CveStoreTests : IDisposable
{
    private readonly string _db = Path.Combine(Path.GetTempPath(), $"oxidation-cve-{Guid.NewGuid():N}.duckdb");
    private readonly DirectoryInfo _vulns = Directory.CreateTempSubdirectory("oxidation-vulns-");

    public void Dispose()
    {
        File.Delete(_db);
        File.Delete(_db + ".wal");
        _vulns.Delete(recursive: true);
    }

    private void Record(string state, string id, string subject)
    {
        var year = id.Split('-')[1];
        var dir = Directory.CreateDirectory(Path.Combine(_vulns.FullName, "cve", state, year));
        File.WriteAllText(Path.Combine(dir.FullName, id + ".json"), """
            {"cveMetadata": {"cveId": "ID"}, "containers": {"cna": {"descriptions": [{"lang": "en",
             "value": "In the Linux kernel, the following vulnerability has been resolved:\n\nSUBJECT\n\nBody."}],
             "affected": [{"defaultStatus": "affected", "programFiles": ["drivers/x/y.c"], "versions": [{"version": "6.1", "status": "affected"}]}]}}}
            """.Replace("ID", id, StringComparison.Ordinal).Replace("SUBJECT", subject, StringComparison.Ordinal));
    }

    [Fact]
    public void An_import_is_stored_classified_and_replaced_whole()
    {
        Record("published", "CVE-2025-0001", "x: fix use-after-free in y");
        Record("rejected", "CVE-2025-0002", "x: fix memory leak");
        using var db = OxidationDatabase.Open(_db);
        var read = CveReader.Read(_vulns.FullName);
        CveStore.Save(db, read, BugClassifier.Default, "one");
        Assert.Equal(["CVE-2025-0001", "use-after-free", true, "high"], db.Query("SELECT id, class, memory_safety, confidence FROM cves WHERE state = 'published'")[0]);
        Assert.Equal("one", CveStore.LastFingerprint(db));
        File.Delete(Path.Combine(_vulns.FullName, "cve", "rejected", "2025", "CVE-2025-0002.json"));
        CveStore.Save(db, CveReader.Read(_vulns.FullName), BugClassifier.Default, "two");
        Assert.Equal(1L, db.Query("SELECT count(*) FROM cves")[0][0]);
    }

    [Fact]
    public void A_failed_import_leaves_the_database_as_it_was()
    {
        Record("published", "CVE-2025-0001", "x: fix use-after-free in y");
        using var db = OxidationDatabase.Open(_db);
        CveStore.Save(db, CveReader.Read(_vulns.FullName), BugClassifier.Default, "one");
        Record("published", "CVE-2025-0003", "x: fix deadlock");
        Assert.Throws<StoreException>(() => CveStore.Save(db, CveReader.Read(_vulns.FullName), BugClassifier.Default, "two", failAfter: 1));
        Assert.Equal(1L, db.Query("SELECT count(*) FROM cves")[0][0]);
        Assert.Equal(1L, db.Query("SELECT count(*) FROM cve_files")[0][0]);
        Assert.Equal("one", CveStore.LastFingerprint(db));
    }

    [Fact]
    public void Bad_and_duplicate_records_are_reported_and_the_rest_imported()
    {
        Record("published", "CVE-2025-0001", "x: fix use-after-free in y");
        File.WriteAllText(Path.Combine(_vulns.FullName, "cve", "published", "2025", "CVE-2025-0004.json"), "{ truncated");
        Record("rejected", "CVE-2025-0001", "x: fix use-after-free in y");
        File.WriteAllText(Path.Combine(_vulns.FullName, "cve", "notes.json"), "{}");
        var read = CveReader.Read(_vulns.FullName);
        Assert.Equal([("CVE-2025-0001", "published")], read.Records.Select(r => (r.Id, r.State)));
        Assert.Equal(3, read.Problems.Count);
        Assert.Equal("cve/notes.json", read.Problems[0].Path);
        Assert.StartsWith("outside the expected layout", read.Problems[0].Reason, StringComparison.Ordinal);
        Assert.Equal("cve/published/2025/CVE-2025-0004.json", read.Problems[1].Path);
        Assert.StartsWith("malformed JSON", read.Problems[1].Reason, StringComparison.Ordinal);
        // The same id twice: the first path in order is kept, the other reported.
        Assert.Equal(("cve/rejected/2025/CVE-2025-0001.json", "duplicate id CVE-2025-0001, already read from cve/published/2025/CVE-2025-0001.json"),
            (read.Problems[2].Path, read.Problems[2].Reason));
    }

    [Fact]
    public void A_streamed_import_keeps_the_first_path_of_a_duplicate_whatever_the_reading_order()
    {
        Record("published", "CVE-2025-0001", "x: fix use-after-free in y");
        Record("published", "CVE-2025-0005", "x: fix double free in z");
        Record("rejected", "CVE-2025-0001", "x: fix use-after-free in y");
        using var db = OxidationDatabase.Open(_db);
        var result = CveStore.Import(db, _vulns.FullName, BugClassifier.Default, "f");
        // The counts are those of the stored rows, whichever copy was read first (issue 10: 6 + 1 reported, 7 + 0 stored).
        Assert.Equal((3L, 2L, 0L), (result.Files, result.Published, result.Rejected));
        Assert.Equal(["cve/published/2025/CVE-2025-0001.json", "cve/published/2025/CVE-2025-0005.json"],
            db.Query("SELECT path FROM cves ORDER BY path").Select(r => (string)r[0]!));
        Assert.Equal(2L, db.Query("SELECT count(*) FROM cve_files")[0][0]);
        var problem = Assert.Single(result.Problems);
        Assert.Equal("cve/rejected/2025/CVE-2025-0001.json", problem.Path);
    }

    [Fact]
    public void An_empty_directory_is_an_error() =>
        Assert.Contains("no CVE records found", Assert.Throws<CveReadException>(() => CveReader.Read(_vulns.FullName)).Message, StringComparison.Ordinal);

    [Fact]
    public void An_unchanged_record_is_classified_once_per_classifier_and_a_new_one_alone()
    {
        Record("published", "CVE-2025-0001", "x: fix use-after-free in y");
        Record("published", "CVE-2025-0005", "x: fix double free in z");
        Record("rejected", "CVE-2025-0002", "x: fix memory leak");
        using var db = OxidationDatabase.Open(_db);
        var first = CveStore.Import(db, _vulns.FullName, BugClassifier.Default, "one");
        Assert.Equal((3L, 0L), (first.Classified, first.Cached));
        var again = CveStore.Import(db, _vulns.FullName, BugClassifier.Default, "one");
        Assert.Equal((0L, 3L), (again.Classified, again.Cached));
        // One record more: it alone is classified; the cache outlives the import that replaced the records.
        Record("published", "CVE-2025-0006", "x: fix deadlock in w");
        var grown = CveStore.Import(db, _vulns.FullName, BugClassifier.Default, "two");
        Assert.Equal((1L, 3L), (grown.Classified, grown.Cached));
        Assert.Equal(4L, db.Query("SELECT count(*) FROM cve_classifications")[0][0]);
        Assert.Equal(["deadlock", BugClassifier.Default.Version], db.Query("SELECT class, classifier FROM cves WHERE id = 'CVE-2025-0006'")[0]);
        // A changed text is a new fingerprint: classified again, not taken from the cache.
        Record("published", "CVE-2025-0006", "x: fix memory leak in w");
        var changed = CveStore.Import(db, _vulns.FullName, BugClassifier.Default, "three");
        Assert.Equal((1L, 3L), (changed.Classified, changed.Cached));
        Assert.Equal("memory-leak", db.Query("SELECT class FROM cves WHERE id = 'CVE-2025-0006'")[0][0]);
    }

    [Fact]
    public void A_record_with_no_text_is_other_low_confidence_and_counted()
    {
        Record("published", "CVE-2025-0001", "x: fix use-after-free in y");
        var dir = Path.Combine(_vulns.FullName, "cve", "published", "2025");
        File.WriteAllText(Path.Combine(dir, "CVE-2025-0007.json"), """
            {"cveMetadata": {"cveId": "CVE-2025-0007"}, "containers": {"cna": {"descriptions": [{"lang": "en", "value": ""}],
             "affected": [{"defaultStatus": "affected", "programFiles": ["drivers/x/y.c"], "versions": [{"version": "6.1", "status": "affected"}]}]}}}
            """);
        using var db = OxidationDatabase.Open(_db);
        var result = CveStore.Import(db, _vulns.FullName, BugClassifier.Default, "f");
        Assert.Equal((2L, 1L), (result.Published, result.NoText));
        Assert.Equal(["other", "low", BugClassifier.NoTextEvidence], db.Query("SELECT class, confidence, evidence FROM cves WHERE id = 'CVE-2025-0007'")[0]);
    }
}
