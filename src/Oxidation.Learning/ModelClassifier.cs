using Oxidation.Cves;

namespace Oxidation.Learning;

/// <summary>
/// The hybrid classifier of a model file, as <c>cves import</c> and <c>cves classify</c> use it: its version and the
/// out-of-fold classes are read from the file at once (cheap), ML.NET's model only when a record needs classifying, so
/// an import whose records are all in the classification cache never loads it. A file that lacks out-of-fold classes
/// is refused: the corrected shares would measure the model's errors on its own training records.
/// </summary>
public sealed class ModelClassifier : ICveClassifier
{
    private readonly Lazy<HybridClassifier> _hybrid;
    private readonly IReadOnlyDictionary<string, string> _outOfFold;

    private ModelClassifier(BugClassifier rules, byte[] file, string path, HybridOptions options)
    {
        var (version, outOfFold) = CveModel.Peek(file, path);
        if (outOfFold.Count == 0)
            throw new CveModelException(path, "no out-of-fold classes inside (written by an older trainer; retrain with scripts/train-cve-model.sh)");
        _outOfFold = outOfFold;
        Version = $"{rules.Version}+{version}";
        _hybrid = new Lazy<HybridClassifier>(() => new HybridClassifier(rules, CveModel.Load(new MemoryStream(file), path), options));
    }

    /// <summary>The rules and the model shipped inside Oxidation.Learning, combined as the recipe says.</summary>
    public static ModelClassifier Embedded() => new(BugClassifier.Default, CveModel.EmbeddedBytes(), CveModel.EmbeddedName, CveModelRecipe.Hybrid);

    /// <summary>The rules and the model of <paramref name="path"/>; a missing, unreadable or damaged file is a <see cref="CveModelException"/> naming it.</summary>
    public static ModelClassifier FromFile(string path)
    {
        if (!File.Exists(path))
            throw new CveModelException(path, "no such file (train one with scripts/train-cve-model.sh)");
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CveModelException(path, $"cannot be read ({ex.Message})", ex);
        }
        return new ModelClassifier(BugClassifier.Default, bytes, path, CveModelRecipe.Hybrid);
    }

    /// <inheritdoc/>
    public string Version { get; }

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, string> OutOfFoldClasses => _outOfFold;

    /// <inheritdoc/>
    public IReadOnlyList<Classification> Classify(IReadOnlyList<CveRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        return records.Count == 0 ? [] : _hybrid.Value.Classify(records);
    }
}
