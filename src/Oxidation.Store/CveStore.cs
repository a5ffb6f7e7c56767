using DuckDB.NET.Data;
using Oxidation.Cves;

namespace Oxidation.Store;

/// <summary>The CVE tables: written whole by an import, in one transaction, and read by the <c>cves</c> commands.</summary>
public static class CveStore
{
    internal static readonly string[] Tables = ["cves", "cve_files", "cve_ranges", "cve_fixes", "cve_problems"];

    internal static readonly string[] Statements =
    [
        """
        CREATE TABLE IF NOT EXISTS cves (id VARCHAR, state VARCHAR, year INTEGER, path VARCHAR, title VARCHAR, subject VARCHAR,
            description VARCHAR, cvss_vector VARCHAR, cvss_score DOUBLE, class VARCHAR, memory_safety BOOLEAN,
            prevented_by_safe_rust BOOLEAN, confidence VARCHAR, evidence VARCHAR, language VARCHAR, classifier VARCHAR)
        """,
        "CREATE TABLE IF NOT EXISTS cve_files (id VARCHAR, path VARCHAR)",
        "CREATE TABLE IF NOT EXISTS cve_ranges (id VARCHAR, grp INTEGER, kind VARCHAR, version VARCHAR, less_than VARCHAR, less_than_or_equal VARCHAR, status VARCHAR, default_status VARCHAR)",
        "CREATE TABLE IF NOT EXISTS cve_fixes (id VARCHAR, commit VARCHAR)",
        "CREATE TABLE IF NOT EXISTS cve_problems (path VARCHAR, reason VARCHAR)",
    ];

    /// <summary>The fingerprint of the last import, or null.</summary>
    public static string? LastFingerprint(OxidationDatabase db) =>
        db.Query("SELECT value FROM meta WHERE key = 'cve_fingerprint'").Select(r => r[0] as string).FirstOrDefault();

    /// <summary>
    /// Replaces every CVE row with <paramref name="read"/>, classified by <paramref name="classifier"/>, in one
    /// transaction. <paramref name="failAfter"/> is for tests: the write throws after that many tables.
    /// </summary>
    public static void Save(OxidationDatabase db, CveReadResult read, BugClassifier classifier, string fingerprint, int? failAfter = null)
    {
        using var tx = db.Connection.BeginTransaction();
        try
        {
            foreach (var table in Tables)
                db.Execute($"DELETE FROM {table}");
            var written = 0;
            void Step()
            {
                if (failAfter is { } limit && written++ >= limit)
                    throw new StoreException($"{db.Path}: import interrupted (test)");
            }
            Step();
            // Classification is the costliest step of an import: spread it over the cores.
            var classes = read.Records.AsParallel().AsOrdered().Select(classifier.Classify).ToArray();
            using (var appender = db.Connection.CreateAppender("cves"))
            {
                for (var i = 0; i < read.Records.Count; i++)
                {
                    var r = read.Records[i];
                    var c = classes[i];
                    appender.CreateRow().AppendValue(r.Id).AppendValue(r.State).AppendValue(r.Year).AppendValue(r.Path).AppendValue(r.Title)
                        .AppendValue(r.Subject).AppendValue(r.Description).AppendValue(r.CvssVector).AppendValue(r.CvssScore)
                        .AppendValue(c.Class).AppendValue(c.MemorySafety).AppendValue(c.PreventedBySafeRust)
                        .AppendValue(c.Confidence.ToString().ToLowerInvariant()).AppendValue(c.Evidence)
                        .AppendValue(CveFacts.LanguageCategory(r.ProgramFiles)).AppendValue(classifier.Version).EndRow();
                }
            }
            Step();
            using (var appender = db.Connection.CreateAppender("cve_files"))
            {
                foreach (var r in read.Records)
                {
                    foreach (var f in r.ProgramFiles)
                        appender.CreateRow().AppendValue(r.Id).AppendValue(f).EndRow();
                }
            }
            Step();
            using (var appender = db.Connection.CreateAppender("cve_ranges"))
            {
                foreach (var r in read.Records)
                {
                    foreach (var g in r.Ranges)
                    {
                        appender.CreateRow().AppendValue(r.Id).AppendValue(g.Group).AppendValue(g.Kind).AppendValue(g.Version)
                            .AppendValue(g.LessThan).AppendValue(g.LessThanOrEqual).AppendValue(g.Status).AppendValue(g.DefaultStatus).EndRow();
                    }
                }
            }
            Step();
            using (var appender = db.Connection.CreateAppender("cve_fixes"))
            {
                foreach (var r in read.Records)
                {
                    foreach (var f in r.Fixes)
                        appender.CreateRow().AppendValue(r.Id).AppendValue(f).EndRow();
                }
            }
            using (var appender = db.Connection.CreateAppender("cve_problems"))
            {
                foreach (var p in read.Problems)
                    appender.CreateRow().AppendValue(p.Path).AppendValue(p.Reason).EndRow();
            }
            using (var cmd = db.Command("INSERT OR REPLACE INTO meta VALUES ('cve_fingerprint', $1), ('cve_imported_at', $2)",
                fingerprint, DateTime.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture)))
                cmd.ExecuteNonQuery();
            tx.Commit();
        }
        catch (DuckDBException ex)
        {
            tx.Rollback();
            throw new StoreException($"{db.Path}: could not store the CVE records ({OxidationDatabase.FirstLine(ex.Message)}); database unchanged", ex);
        }
        catch
        {
            tx.Rollback();
            throw;
        }
    }

    /// <summary>Re-classifies every stored record with <paramref name="classifier"/>, in one transaction.</summary>
    public static List<(string Id, Classification Classification)> Reclassify(OxidationDatabase db, BugClassifier classifier)
    {
        var rows = db.Query("SELECT id, subject, description FROM cves ORDER BY id");
        var results = new List<(string, Classification)>(rows.Count);
        using var tx = db.Connection.BeginTransaction();
        db.Execute("CREATE TEMP TABLE IF NOT EXISTS reclass (id VARCHAR, class VARCHAR, memory_safety BOOLEAN, prevented BOOLEAN, confidence VARCHAR, evidence VARCHAR)");
        db.Execute("DELETE FROM reclass");
        using (var appender = db.Connection.CreateAppender("reclass"))
        {
            foreach (var row in rows)
            {
                var id = (string)row[0]!;
                var subject = (string)row[1]!;
                var description = (string)row[2]!;
                var at = description.IndexOf(subject, StringComparison.Ordinal);
                var c = classifier.Classify(subject, at < 0 ? description : description[(at + subject.Length)..]);
                results.Add((id, c));
                appender.CreateRow().AppendValue(id).AppendValue(c.Class).AppendValue(c.MemorySafety).AppendValue(c.PreventedBySafeRust)
                    .AppendValue(c.Confidence.ToString().ToLowerInvariant()).AppendValue(c.Evidence).EndRow();
            }
        }
        db.Execute($"""
            UPDATE cves SET class = r.class, memory_safety = r.memory_safety, prevented_by_safe_rust = r.prevented,
                confidence = r.confidence, evidence = r.evidence, classifier = '{classifier.Version}'
            FROM reclass r WHERE cves.id = r.id
            """);
        tx.Commit();
        return results;
    }

    /// <summary>Rebuilds the records (for range queries) from the tables.</summary>
    public static List<CveRecord> Records(OxidationDatabase db, string where = "state = 'published'")
    {
        var ranges = db.Query("SELECT id, grp, kind, version, less_than, less_than_or_equal, status, default_status FROM cve_ranges")
            .GroupBy(r => (string)r[0]!)
            .ToDictionary(g => g.Key, g => g.Select(r => new AffectedRange((string)r[2]!, (string)r[3]!, r[4] as string, r[5] as string,
                (string)r[6]!, (string)r[7]!, Convert.ToInt32(r[1], System.Globalization.CultureInfo.InvariantCulture))).ToList());
        var files = db.Query("SELECT id, path FROM cve_files").GroupBy(r => (string)r[0]!).ToDictionary(g => g.Key, g => g.Select(r => (string)r[1]!).ToList());
        return [.. db.Query($"SELECT id, state, year, path, title, subject, description, cvss_vector, cvss_score FROM cves WHERE {where} ORDER BY id")
            .Select(r => new CveRecord((string)r[0]!, (string)r[1]!, Convert.ToInt32(r[2], System.Globalization.CultureInfo.InvariantCulture), (string)r[3]!,
                r[4] as string, (string)r[5]!, (string)r[6]!, files.GetValueOrDefault((string)r[0]!) ?? [],
                ranges.GetValueOrDefault((string)r[0]!) ?? [], [], r[7] as string, r[8] as double?))];
    }
}
