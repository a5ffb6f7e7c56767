using Oxidation.Cves;

namespace Oxidation.Learning;

/// <summary>
/// Dense vectors of records' text from a model outside this project (a sentence-embedding model on ONNX Runtime,
/// src/Oxidation.Learning.Embeddings), for models whose <see cref="CveModelOptions.Embeddings"/> ask for them. This
/// project stays free of ONNX Runtime: it only sees the vectors.
/// </summary>
public interface ICveEncoder
{
    /// <summary>What the vectors are (model, pooling, token limit), for tables and errors.</summary>
    string Name { get; }

    /// <summary>The length of every vector.</summary>
    int Dimension { get; }

    /// <summary>One vector of <see cref="Dimension"/> floats for each record, in order.</summary>
    IReadOnlyList<float[]> Encode(IReadOnlyList<CveRecord> records);
}

/// <summary>
/// An encoder that remembers each record's vector by id, so cross-validation encodes every record once however
/// many folds and variants train on it. Thread-safe.
/// </summary>
public sealed class CachedEncoder(ICveEncoder inner) : ICveEncoder
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, float[]> _vectors = new(StringComparer.Ordinal);

    /// <inheritdoc/>
    public string Name => inner.Name;

    /// <inheritdoc/>
    public int Dimension => inner.Dimension;

    /// <summary>Forgets every vector (to time an encoding as an import would pay for it).</summary>
    public void Clear() => _vectors.Clear();

    /// <summary>How many records' vectors are held.</summary>
    public int Count => _vectors.Count;

    /// <inheritdoc/>
    public IReadOnlyList<float[]> Encode(IReadOnlyList<CveRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var missing = records.Where(r => !_vectors.ContainsKey(r.Id)).DistinctBy(r => r.Id).ToList();
        if (missing.Count > 0)
        {
            var vectors = inner.Encode(missing);
            for (var i = 0; i < missing.Count; i++)
                _vectors[missing[i].Id] = vectors[i];
        }
        return [.. records.Select(r => _vectors[r.Id])];
    }
}
