using System.Collections.Concurrent;

namespace Oxidation.Cves;

/// <summary>A record whose fix the clone could not give: the record was classified from its text alone.</summary>
public sealed record FixDiffProblem(string Id, string Reason);

/// <summary>What <c>cves import --repo</c> did with the fix diffs: records looked up, found, missing, and why.</summary>
public sealed record FixDiffSummary(string Repository, long Records, long Found, IReadOnlyList<FixDiffProblem> Problems);

/// <summary>
/// A text classifier (the rules or the hybrid) with the fix diff as evidence (issue 13, item 4): for a record whose text
/// classification is low confidence (nothing in the text named a class, or the model was unsure), the fix commit's diff,
/// read from the user's kernel clone, decides when one of <see cref="FixDiffRules"/> fires: that class, medium confidence,
/// the evidence naming the diff line and what the text said. Every other record keeps its text classification. The fix
/// read is the first of the record's <c>…/c/SHA</c> references the clone holds (the stable backports and the mainline
/// commit make the same change); a record none of whose fixes the clone holds is a <see cref="FixDiffProblem"/> and
/// classified from its text. Thread-safe: the import classifies batches on several threads.
/// </summary>
public sealed class FixDiffClassifier(ICveClassifier text, IFixDiffSource clone, FixDiffRules rules, BugClassifier classes) : ICveClassifier
{
    private readonly ConcurrentDictionary<string, Lookup> _lookups = new(StringComparer.Ordinal);

    private sealed record Lookup(string Id, string? Commit, string? Missing, bool Published = true);

    /// <summary>The text classifier's version and the diff rules': either change re-classifies.</summary>
    public string Version => $"{text.Version}+diff-{rules.Version}";

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, string> OutOfFoldClasses => text.OutOfFoldClasses;

    /// <summary>The text's key and the fix commit read (<c>-</c> when the clone holds none): a fetched fix re-classifies.</summary>
    public string Key(CveRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return $"{text.Key(record)}:{Find(record).Commit ?? "-"}";
    }

    /// <summary>The published records looked up so far (each once, by path), those whose fix was found, and the problems, by id.</summary>
    public FixDiffSummary Summary()
    {
        var all = _lookups.Values.Where(l => l.Published).ToList();
        return new FixDiffSummary(clone.Repository, all.Count, all.Count(l => l.Commit is not null),
            [.. all.Where(l => l.Missing is not null).Select(l => new FixDiffProblem(l.Id, l.Missing!)).OrderBy(p => p.Id, StringComparer.Ordinal)]);
    }

    /// <inheritdoc/>
    public IReadOnlyList<Classification> Classify(IReadOnlyList<CveRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var byText = text.Classify(records);
        var results = new Classification[records.Count];
        Parallel.For(0, records.Count, i => results[i] = Combine(records[i], byText[i]));
        return results;
    }

    /// <summary>The diff decides only where the text is unsure; a record with no text stays <c>other</c> (counted as such).</summary>
    private Classification Combine(CveRecord record, Classification byText)
    {
        if (byText.Confidence != Confidence.Low || byText.Evidence == BugClassifier.NoTextEvidence || Find(record).Commit is not { } commit)
            return byText;
        FixDiff diff;
        try
        {
            diff = clone.Read(commit);
        }
        catch (FixDiffException ex)
        {
            _lookups[record.Path] = new Lookup(record.Id, null, $"fix {commit} could not be read: {ex.Message}");
            return byText;
        }
        if (rules.Find(diff) is not { } found)
            return byText;
        var (signal, moved) = found;
        return new Classification(signal.Class, classes.IsMemorySafety(signal.Class), classes.IsPreventedBySafeRust(signal.Class), Confidence.Medium,
            $"{signal.Evidence(moved)}; text: {byText.Class} (low, {byText.Evidence})");
    }

    private Lookup Find(CveRecord record) => _lookups.GetOrAdd(record.Path, _ =>
    {
        // A rejected record is no vulnerability: its fix is not looked for.
        if (record.State != "published")
            return new Lookup(record.Id, null, null, Published: false);
        if (record.Fixes.Count == 0)
            return new Lookup(record.Id, null, "references no fix commit");
        foreach (var sha in record.Fixes)
        {
            if (clone.Resolve(sha) is { } commit)
                return new Lookup(record.Id, commit, null);
        }
        return new Lookup(record.Id, null, record.Fixes.Count == 1
            ? $"fix {record.Fixes[0]} is not in {clone.Repository}"
            : $"none of its {record.Fixes.Count} fix commits is in {clone.Repository}");
    });
}
