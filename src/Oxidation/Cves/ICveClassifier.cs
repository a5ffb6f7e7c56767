namespace Oxidation.Cves;

/// <summary>
/// What <c>cves import</c> and <c>cves classify</c> need of a classifier: a version (stored with every classification, the
/// cache's key), batch classification, and the classes it gives the hand-labelled records it was trained on when they
/// are held out of its training (out of fold), so the corrected shares measure the classifier actually used on records
/// it has not seen. The rules (<see cref="BugClassifier"/>) and the learned hybrid (src/Oxidation.Learning) implement it;
/// the core never references ML.NET.
/// </summary>
public interface ICveClassifier
{
    /// <summary>A short id of the classifier (its rules, its model), stored with classifications so a change re-classifies.</summary>
    string Version { get; }

    /// <summary>Classifies every record, same order; a record with no text is <c>other</c>, low confidence.</summary>
    IReadOnlyList<Classification> Classify(IReadOnlyList<CveRecord> records);

    /// <summary>
    /// For each hand-labelled record the classifier was trained on, the class it gives that record when trained without it
    /// (cross-validation); empty for a classifier trained on no labels.
    /// </summary>
    IReadOnlyDictionary<string, string> OutOfFoldClasses { get; }

    /// <summary>
    /// The key of a record's classification in the cache (with <see cref="Version"/>): what the classifier reads of it. By
    /// default the record's text and files (<see cref="CveFacts.ClassificationKey"/>); a classifier that also reads the fix
    /// diff (<see cref="FixDiffClassifier"/>) adds the fix commit it read.
    /// </summary>
    string Key(CveRecord record) => CveFacts.ClassificationKey(record);
}
