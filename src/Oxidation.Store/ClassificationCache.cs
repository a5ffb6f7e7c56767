using System.Collections.Concurrent;
using Oxidation.Cves;

namespace Oxidation.Store;

/// <summary>
/// Classifications kept in the database by record fingerprint (<see cref="ICveClassifier.Key"/>: the text and
/// files a classifier reads, and the fix commit when it reads the fix diff) and classifier version, so a model is paid for once per record: an import classifies only
/// the records it has not seen with this classifier, in batches. Thread-safe: the reading threads classify their batches
/// through it. The table <c>cve_classifications</c> outlives imports (an import replaces the records, not the cache).
/// </summary>
internal sealed class ClassificationCache
{
    private readonly ICveClassifier _classifier;
    private readonly Dictionary<string, Classification> _known;
    private readonly ConcurrentDictionary<string, Classification> _fresh = new(StringComparer.Ordinal);
    private long _hits;
    private long _classified;

    public ClassificationCache(OxidationDatabase db, ICveClassifier classifier)
    {
        _classifier = classifier;
        _known = db.Query("SELECT record, class, memory_safety, prevented_by_safe_rust, confidence, evidence FROM cve_classifications WHERE classifier = $1", classifier.Version)
            .ToDictionary(r => (string)r[0]!, r => new Classification((string)r[1]!, (bool)r[2]!, (bool)r[3]!, Enum.Parse<Confidence>((string)r[4]!, ignoreCase: true), (string)r[5]!),
                StringComparer.Ordinal);
    }

    /// <summary>Records whose classification came from the cache.</summary>
    public long Hits => Interlocked.Read(ref _hits);

    /// <summary>Records the classifier classified in this run (two records with the same text in batches classified at the same time both count).</summary>
    public long Classified => Interlocked.Read(ref _classified);

    /// <summary>Classifies <paramref name="records"/>: cached ones looked up, the others classified by the classifier in one batch.</summary>
    public IReadOnlyList<Classification> Classify(IReadOnlyList<CveRecord> records)
    {
        var results = new Classification[records.Count];
        var keys = new string[records.Count];
        var missing = new List<int>();
        for (var i = 0; i < records.Count; i++)
        {
            keys[i] = _classifier.Key(records[i]);
            if (_known.TryGetValue(keys[i], out var known) || _fresh.TryGetValue(keys[i], out known))
                results[i] = known;
            else
                missing.Add(i);
        }
        Interlocked.Add(ref _hits, records.Count - missing.Count);
        Interlocked.Add(ref _classified, missing.Count);
        if (missing.Count > 0)
        {
            var classified = _classifier.Classify([.. missing.Select(i => records[i])]);
            for (var k = 0; k < missing.Count; k++)
            {
                results[missing[k]] = classified[k];
                _fresh.TryAdd(keys[missing[k]], classified[k]);
            }
        }
        return results;
    }

    /// <summary>Adds this run's new classifications to the table (inside the caller's transaction).</summary>
    public void Save(OxidationDatabase db)
    {
        using var appender = db.Connection.CreateAppender("cve_classifications");
        foreach (var (key, c) in _fresh.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            appender.CreateRow().AppendValue(key).AppendValue(_classifier.Version).AppendValue(c.Class).AppendValue(c.MemorySafety)
                .AppendValue(c.PreventedBySafeRust).AppendValue(c.Confidence.ToString().ToLowerInvariant()).AppendValue(c.Evidence).EndRow();
        }
    }
}
