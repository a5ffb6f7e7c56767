using Microsoft.ML.Data;

namespace Oxidation.Learning;

/// <summary>
/// Cosine similarity of a feature vector to a fixed set of sparse vectors, through an inverted index (feature → the
/// labelled records that have it), so a query costs the postings of its own features rather than one pass per record.
/// </summary>
internal sealed class NeighbourIndex
{
    private readonly Dictionary<int, (int Doc, float Value)[]> _postings;
    private readonly float[] _norms;

    public NeighbourIndex(IReadOnlyList<VBuffer<float>> vectors)
    {
        var postings = new Dictionary<int, List<(int, float)>>();
        _norms = new float[vectors.Count];
        for (var d = 0; d < vectors.Count; d++)
        {
            double norm = 0;
            foreach (var (index, value) in NonZero(vectors[d]))
            {
                if (!postings.TryGetValue(index, out var list))
                    postings[index] = list = [];
                list.Add((d, value));
                norm += value * value;
            }
            _norms[d] = (float)Math.Sqrt(norm);
        }
        _postings = postings.ToDictionary(p => p.Key, p => p.Value.ToArray());
    }

    public int Count => _norms.Length;

    /// <summary>The <paramref name="k"/> most similar vectors, most similar first (ties: the lower index first).</summary>
    public IReadOnlyList<(int Index, float Similarity)> Nearest(VBuffer<float> query, int k)
    {
        var dots = new float[_norms.Length];
        double norm = 0;
        foreach (var (index, value) in NonZero(query))
        {
            norm += value * value;
            if (!_postings.TryGetValue(index, out var list))
                continue;
            foreach (var (doc, v) in list)
                dots[doc] += value * v;
        }
        if (norm == 0)
            return [];
        var q = (float)Math.Sqrt(norm);
        var best = new List<(int Index, float Similarity)>(k + 1);
        for (var d = 0; d < dots.Length; d++)
        {
            if (_norms[d] == 0)
                continue;
            var similarity = dots[d] / (q * _norms[d]);
            if (best.Count == k && similarity <= best[^1].Similarity)
                continue;
            var at = best.FindIndex(b => similarity > b.Similarity);
            best.Insert(at < 0 ? best.Count : at, (d, similarity));
            if (best.Count > k)
                best.RemoveAt(k);
        }
        return best;
    }

    private static List<(int Index, float Value)> NonZero(VBuffer<float> vector)
    {
        var values = vector.GetValues();
        var indices = vector.GetIndices();
        var dense = vector.IsDense;
        var list = new List<(int Index, float Value)>(values.Length);
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i] != 0)
                list.Add((dense ? i : indices[i], values[i]));
        }
        return list;
    }
}
