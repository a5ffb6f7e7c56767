using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Transforms.Text;
using Oxidation.Cves;

namespace Oxidation.Learning;

/// <summary>A model file could not be loaded: it is missing, not a model file, or damaged. Names the file.</summary>
public sealed class CveModelException(string path, string reason, Exception? inner = null)
    : Exception($"CVE model {path}: {reason}", inner)
{
    /// <summary>The model file.</summary>
    public string Path { get; } = path;
}

/// <summary>A labelled record near a prediction: its id, its hand label and the cosine similarity of the two feature vectors.</summary>
public sealed record Neighbour(string Id, string Class, float Similarity);

/// <summary>What the model says of one record: the most probable class, its probability, and the nearest labelled records.</summary>
public sealed record ModelPrediction(string Class, float Probability, IReadOnlyList<Neighbour> Nearest);

/// <summary>
/// The learned text classifier: ML.NET's text featurizer (word and character n-grams of <see cref="CveText"/>) and a
/// linear multiclass model, plus the hand-labelled records it was trained on, so each prediction names the labelled
/// records nearest to it. Train with <see cref="Train"/>, write with <see cref="Save"/>, read with <see cref="Load(string)"/>.
/// Prediction transforms whole batches, one ML.NET cursor per thread.
/// </summary>
public sealed class CveModel
{
    private const string MlEntry = "mlnet.zip";
    private const string LabelledEntry = "labelled.json";
    private const string OptionsEntry = "options.json";
    private const string OutOfFoldEntry = "out-of-fold.json";

    private static readonly DateTimeOffset FixedTime = new(2026, 12, 2, 0, 0, 0, TimeSpan.Zero);

    private readonly MLContext _ml;
    private readonly ITransformer _transformer;
    private readonly DataViewSchema _inputSchema;
    private readonly string[] _scoreClasses;
    private readonly IReadOnlyList<StoredLabel> _labelled;
    private readonly NeighbourIndex _neighbours;
    private readonly ICveEncoder? _encoder;
    private readonly IReadOnlyList<float[]>? _labelledVectors;

    private CveModel(MLContext ml, ITransformer transformer, DataViewSchema inputSchema, CveModelOptions options, IReadOnlyList<StoredLabel> labelled, string version,
        IReadOnlyDictionary<string, string>? outOfFold = null, ICveEncoder? encoder = null, IReadOnlyList<float[]>? labelledVectors = null)
    {
        _encoder = encoder;
        _labelledVectors = labelledVectors;
        OutOfFoldClasses = outOfFold ?? new Dictionary<string, string>();
        _ml = ml;
        _transformer = transformer;
        _inputSchema = inputSchema;
        Options = options;
        Version = version;
        _labelled = labelled;
        _scoreClasses = ScoreClasses(transformer, inputSchema, ml);
        var rows = labelled.Select(l => new TextRow { Text = l.Text, Files = l.Files, Label = l.Class }).ToList();
        _neighbours = new NeighbourIndex([.. Features(View(ml, rows, labelledVectors, options)).Select(f => f.Features)]);
    }

    /// <summary>How the model was built.</summary>
    public CveModelOptions Options { get; }

    /// <summary>A short hash of the model (of the ML.NET model bytes and the labelled records), stored with classifications.</summary>
    public string Version { get; }

    /// <summary>
    /// The hybrid's cross-validated (out-of-fold) class of each gold training record, written by the trainer with
    /// <see cref="WithOutOfFold"/>: the corrected shares measure the classifier's errors on records it was not trained on.
    /// </summary>
    public IReadOnlyDictionary<string, string> OutOfFoldClasses { get; }

    /// <summary>This model with the out-of-fold classes of its gold records (keyed by id), for <see cref="Save"/>.</summary>
    public CveModel WithOutOfFold(IReadOnlyDictionary<string, string> outOfFold)
    {
        ArgumentNullException.ThrowIfNull(outOfFold);
        var missing = _labelled.FirstOrDefault(l => !outOfFold.ContainsKey(l.Id));
        if (missing is not null)
            throw new ArgumentException($"no out-of-fold class for gold record {missing.Id}", nameof(outOfFold));
        return new CveModel(_ml, _transformer, _inputSchema, Options, _labelled, Version, outOfFold, _encoder, _labelledVectors);
    }

    /// <summary>The ids of the hand-labelled records the model keeps as neighbours (its gold training records).</summary>
    public IEnumerable<string> LabelledIds => _labelled.Select(l => l.Id);

    /// <summary>
    /// Trains a model on <paramref name="examples"/> (gold and silver; only gold ones are kept as neighbours). Options
    /// with <see cref="CveModelOptions.Embeddings"/> need <paramref name="encoder"/>, which the model keeps to predict.
    /// </summary>
    public static CveModel Train(IReadOnlyList<LabelledCve> examples, CveModelOptions options, IEnumerable<string>? classes = null, ICveEncoder? encoder = null)
    {
        ArgumentNullException.ThrowIfNull(examples);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Embeddings != CveEmbeddings.None && encoder is null)
            throw new ArgumentException($"options with embeddings ({options.Embeddings}) need an encoder", nameof(encoder));
        var ml = new MLContext(seed: options.Seed);
        var rows = examples.Select(e => new TextRow { Text = CveText.Of(e.Record), Files = Extra(e.Record, options), Label = e.Class, Weight = e.Weight }).ToList();
        var vectors = options.Embeddings == CveEmbeddings.None ? null : Vectors(encoder!, [.. examples.Select(e => e.Record)], options);
        var data = View(ml, rows, vectors, options);
        var keys = ml.Data.LoadFromEnumerable((classes ?? BugClassifier.Default.Classes).Select(c => new ClassRow { Label = c }));
        // The trainers pass over the data many times: featurize once, not on every pass.
        var pipeline = Featurizer(ml, options, keys).AppendCacheCheckpoint(ml).Append(Trainer(ml, options));
        var transformer = pipeline.Fit(data);
        var labelled = examples.Where(e => !e.Silver)
            .Select(e => new StoredLabel(e.Record.Id, e.Class, CveText.Of(e.Record), Extra(e.Record, options)))
            .ToList();
        var labelledVectors = vectors is null ? null : examples.Select((e, i) => (e, i)).Where(x => !x.e.Silver).Select(x => vectors[x.i]).ToList();
        return new CveModel(ml, transformer, data.Schema, options, labelled, Hash(SaveMl(ml, transformer, data.Schema), labelled), encoder: encoder, labelledVectors: labelledVectors);
    }

    /// <summary>Writes the model file: one zip holding ML.NET's model, the options and the labelled records.</summary>
    public void Save(string path)
    {
        var mlBytes = SaveMl(_ml, _transformer, _inputSchema);
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (directory is not null)
            Directory.CreateDirectory(directory);
        using var file = File.Create(path);
        using var zip = new ZipArchive(file, ZipArchiveMode.Create);
        // Fixed entry times so the same model gives the same file.
        Write(zip, MlEntry, mlBytes, CompressionLevel.NoCompression);
        Write(zip, OptionsEntry, JsonSerializer.SerializeToUtf8Bytes(Options), CompressionLevel.Optimal);
        Write(zip, LabelledEntry, JsonSerializer.SerializeToUtf8Bytes(_labelled), CompressionLevel.Optimal);
        if (OutOfFoldClasses.Count > 0)
            Write(zip, OutOfFoldEntry, JsonSerializer.SerializeToUtf8Bytes(new SortedDictionary<string, string>(OutOfFoldClasses.ToDictionary(), StringComparer.Ordinal)), CompressionLevel.Optimal);
    }

    /// <summary>How the model shipped inside this assembly (data/cve-model/model.zip, embedded at build time) is named in errors.</summary>
    public const string EmbeddedName = "data/cve-model/model.zip (embedded)";

    /// <summary>Reads a model file written by <see cref="Save"/>; a missing, foreign or damaged file is a <see cref="CveModelException"/>.</summary>
    public static CveModel Load(string path)
    {
        if (!File.Exists(path))
            throw new CveModelException(path, "no such file (train one with scripts/train-cve-model.sh)");
        try
        {
            using var file = File.OpenRead(path);
            return Load(file, path);
        }
        catch (IOException ex)
        {
            throw new CveModelException(path, $"cannot be read ({ex.Message})", ex);
        }
    }

    /// <summary>
    /// The version and the out-of-fold classes of a model file without loading ML.NET's model (milliseconds, so an
    /// import that finds nothing new never pays for the model): a <see cref="CveModelException"/> where the file lacks
    /// what <see cref="Load(Stream, string)"/> needs of it.
    /// </summary>
    public static (string Version, IReadOnlyDictionary<string, string> OutOfFold) Peek(byte[] file, string path)
    {
        ArgumentNullException.ThrowIfNull(file);
        try
        {
            using var zip = new ZipArchive(new MemoryStream(file), ZipArchiveMode.Read);
            byte[] Entry(string name)
            {
                var entry = zip.GetEntry(name) ?? throw new CveModelException(path, $"not a CVE model file: no {name} inside");
                using var stream = entry.Open();
                using var memory = new MemoryStream();
                stream.CopyTo(memory);
                return memory.ToArray();
            }
            _ = Entry(OptionsEntry);
            var labelled = JsonSerializer.Deserialize<List<StoredLabel>>(Entry(LabelledEntry))
                ?? throw new CveModelException(path, $"{LabelledEntry} is empty");
            var outOfFold = zip.GetEntry(OutOfFoldEntry) is null ? new Dictionary<string, string>()
                : JsonSerializer.Deserialize<Dictionary<string, string>>(Entry(OutOfFoldEntry)) ?? [];
            return (Hash(Entry(MlEntry), labelled), outOfFold);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or JsonException or FormatException or InvalidOperationException or ArgumentException or NotSupportedException)
        {
            throw new CveModelException(path, $"damaged or not a CVE model file ({ex.Message})", ex);
        }
    }

    /// <summary>The bytes of the embedded model file (<see cref="EmbeddedName"/>).</summary>
    public static byte[] EmbeddedBytes()
    {
        using var stream = typeof(CveModel).Assembly.GetManifestResourceStream("cve-model.zip")
            ?? throw new CveModelException(EmbeddedName, "not embedded in Oxidation.Learning");
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return memory.ToArray();
    }

    /// <summary>Reads a model from <paramref name="file"/>; <paramref name="path"/> names it in errors.</summary>
    public static CveModel Load(Stream file, string path)
    {
        ArgumentNullException.ThrowIfNull(file);
        try
        {
            using var zip = new ZipArchive(file, ZipArchiveMode.Read);
            byte[] Entry(string name)
            {
                var entry = zip.GetEntry(name) ?? throw new CveModelException(path, $"not a CVE model file: no {name} inside");
                using var stream = entry.Open();
                using var memory = new MemoryStream();
                stream.CopyTo(memory);
                return memory.ToArray();
            }
            var options = JsonSerializer.Deserialize<CveModelOptions>(Entry(OptionsEntry))
                ?? throw new CveModelException(path, $"{OptionsEntry} is empty");
            if (options.Embeddings != CveEmbeddings.None)
                throw new CveModelException(path, $"trained with sentence embeddings ({options.Describe()}): only models without them are loaded");
            var labelled = JsonSerializer.Deserialize<List<StoredLabel>>(Entry(LabelledEntry))
                ?? throw new CveModelException(path, $"{LabelledEntry} is empty");
            var outOfFold = zip.GetEntry(OutOfFoldEntry) is null ? null : JsonSerializer.Deserialize<Dictionary<string, string>>(Entry(OutOfFoldEntry));
            var mlBytes = Entry(MlEntry);
            var ml = new MLContext(seed: options.Seed);
            using var mlStream = new MemoryStream(mlBytes);
            var transformer = ml.Model.Load(mlStream, out var schema);
            return new CveModel(ml, transformer, schema, options, labelled, Hash(mlBytes, labelled), outOfFold);
        }
        catch (CveModelException)
        {
            throw;
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or JsonException or FormatException or InvalidOperationException or ArgumentException or NotSupportedException)
        {
            throw new CveModelException(path, $"damaged or not a CVE model file ({ex.Message})", ex);
        }
    }

    /// <summary>
    /// Predicts every record, in batches on <paramref name="parallelism"/> threads (0: every core). A record with
    /// no text is <c>other</c> with probability 0 and no neighbours.
    /// </summary>
    public IReadOnlyList<ModelPrediction> Predict(IReadOnlyList<CveRecord> records, int parallelism = 0, bool nearest = true)
    {
        ArgumentNullException.ThrowIfNull(records);
        var results = new ModelPrediction[records.Count];
        // The encoder parallelises itself: encode everything first, the chunks below only look vectors up.
        var vectors = _encoder is null || Options.Embeddings == CveEmbeddings.None ? null : Vectors(_encoder, records, Options);
        var threads = Math.Max(1, Math.Min(parallelism > 0 ? parallelism : Environment.ProcessorCount, records.Count / 256 + 1));
        var chunk = (records.Count + threads - 1) / threads;
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
        {
            var from = t * chunk;
            var to = Math.Min(records.Count, from + chunk);
            if (from >= to)
                return;
            var rows = new List<TextRow>(to - from);
            var index = new List<int>(to - from);
            var chunkVectors = vectors is null ? null : new List<float[]>(to - from);
            for (var i = from; i < to; i++)
            {
                var text = CveText.Of(records[i]);
                if (text.Length == 0)
                {
                    results[i] = new ModelPrediction("other", 0f, []);
                    continue;
                }
                rows.Add(new TextRow { Text = text, Files = Extra(records[i], Options) });
                chunkVectors?.Add(vectors![i]);
                index.Add(i);
            }
            var k = 0;
            foreach (var (features, scores) in Features(View(_ml, rows, chunkVectors, Options)))
            {
                var best = 0;
                for (var c = 1; c < scores.Length; c++)
                {
                    if (scores[c] > scores[best])
                        best = c;
                }
                var near = nearest
                    ? _neighbours.Nearest(features, 3).Select(n => new Neighbour(_labelled[n.Index].Id, _labelled[n.Index].Class, n.Similarity)).ToList()
                    : [];
                results[index[k++]] = new ModelPrediction(_scoreClasses[best], scores[best], near);
            }
        });
        return results;
    }

    /// <summary>The rows as ML.NET data; with embedding vectors (one a row), an <see cref="EmbeddedRow"/> view with a fixed-size vector column.</summary>
    private static IDataView View(MLContext ml, IReadOnlyList<TextRow> rows, IReadOnlyList<float[]>? vectors, CveModelOptions options)
    {
        if (vectors is null || options.Embeddings == CveEmbeddings.None)
            return ml.Data.LoadFromEnumerable(rows);
        var dimension = vectors.Count > 0 ? vectors[0].Length : 1;
        var schema = SchemaDefinition.Create(typeof(EmbeddedRow));
        schema[nameof(EmbeddedRow.Embedding)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, dimension);
        var embedded = rows.Select((r, i) => new EmbeddedRow { Text = r.Text, Files = r.Files, Label = r.Label, Weight = r.Weight, Embedding = vectors[i] }).ToList();
        return ml.Data.LoadFromEnumerable(embedded, schema);
    }

    /// <summary>The encoder's vectors of <paramref name="records"/>, times the options' scale (a record with no text: zeros).</summary>
    private static IReadOnlyList<float[]> Vectors(ICveEncoder encoder, IReadOnlyList<CveRecord> records, CveModelOptions options)
    {
        var vectors = encoder.Encode(records);
        var scale = options.EmbeddingScale ?? 1f;
        return [.. vectors.Select(v => scale == 1f ? v : [.. v.Select(x => x * scale)])];
    }

    private IEnumerable<(VBuffer<float> Features, float[] Scores)> Features(IDataView input)
    {
        var view = _transformer.Transform(input);
        using var cursor = view.GetRowCursor([view.Schema["Features"], view.Schema["Score"]]);
        var features = cursor.GetGetter<VBuffer<float>>(view.Schema["Features"]);
        var score = cursor.GetGetter<VBuffer<float>>(view.Schema["Score"]);
        VBuffer<float> f = default, s = default;
        while (cursor.MoveNext())
        {
            features(ref f);
            score(ref s);
            var copy = default(VBuffer<float>);
            f.CopyTo(ref copy);
            yield return (copy, s.DenseValues().ToArray());
        }
    }

    private static string[] ScoreClasses(ITransformer transformer, DataViewSchema input, MLContext ml)
    {
        var schema = transformer.GetOutputSchema(input);
        VBuffer<ReadOnlyMemory<char>> names = default;
        schema["Score"].GetSlotNames(ref names);
        return [.. names.DenseValues().Select(n => n.ToString())];
    }

    private static IEstimator<ITransformer> Featurizer(MLContext ml, CveModelOptions options, IDataView keys)
    {
        var text = new TextFeaturizingEstimator.Options
        {
            // CveText has already lower-cased and stripped punctuation.
            CaseMode = TextNormalizingEstimator.CaseMode.None,
            KeepDiacritics = true,
            KeepPunctuations = true,
            KeepNumbers = true,
            Norm = TextFeaturizingEstimator.NormFunction.L2,
            WordFeatureExtractor = options.WordNgrams > 0
                ? new WordBagEstimator.Options { NgramLength = options.WordNgrams, UseAllLengths = true, MaximumNgramsCount = [.. Enumerable.Repeat(options.MaxWordNgrams, options.WordNgrams)] }
                : null,
            CharFeatureExtractor = options.CharNgrams > 0
                ? new WordBagEstimator.Options { NgramLength = options.CharNgrams, UseAllLengths = true, MaximumNgramsCount = [.. Enumerable.Repeat(options.MaxCharNgrams, options.CharNgrams)] }
                : null,
        };
        var estimator = ml.Transforms.Conversion.MapValueToKey("Label", "Label", keyData: keys);
        if (options.Embeddings != CveEmbeddings.None)
            return WithEmbeddings(ml, options, estimator, text);
        if (!options.FileTokens && !options.RuleFeatures)
            return estimator.Append(ml.Transforms.Text.FeaturizeText("Features", text, "Text"));
        var files = FileFeatureOptions();
        return estimator
            .Append(ml.Transforms.Text.FeaturizeText("TextFeatures", text, "Text"))
            .Append(ml.Transforms.Text.FeaturizeText("FileFeatures", files, "Files"))
            .Append(ml.Transforms.Concatenate("Features", "TextFeatures", "FileFeatures"));
    }

    /// <summary>The file (and rule) words: case and punctuation kept, single words, at most 2,000.</summary>
    private static TextFeaturizingEstimator.Options FileFeatureOptions() => new()
    {
        CaseMode = TextNormalizingEstimator.CaseMode.None,
        KeepPunctuations = true,
        KeepNumbers = true,
        Norm = TextFeaturizingEstimator.NormFunction.L2,
        WordFeatureExtractor = new WordBagEstimator.Options { NgramLength = 1, MaximumNgramsCount = [2000] },
        CharFeatureExtractor = null,
    };

    /// <summary>The embedding column alone, or after the n-gram (and file/rule word) features.</summary>
    private static EstimatorChain<ColumnConcatenatingTransformer> WithEmbeddings(MLContext ml, CveModelOptions options, IEstimator<ITransformer> estimator, TextFeaturizingEstimator.Options text)
    {
        if (options.Embeddings == CveEmbeddings.Alone)
            return estimator.Append(ml.Transforms.Concatenate("Features", nameof(EmbeddedRow.Embedding)));
        var columns = new List<string> { "TextFeatures" };
        var chain = estimator.Append(ml.Transforms.Text.FeaturizeText("TextFeatures", text, "Text"));
        if (options.FileTokens || options.RuleFeatures)
        {
            chain = chain.Append(ml.Transforms.Text.FeaturizeText("FileFeatures", FileFeatureOptions(), "Files"));
            columns.Add("FileFeatures");
        }
        columns.Add(nameof(EmbeddedRow.Embedding));
        return chain.Append(ml.Transforms.Concatenate("Features", [.. columns]));
    }

    private static IEstimator<ITransformer> Trainer(MLContext ml, CveModelOptions options) => options.Trainer switch
    {
        CveTrainer.Lbfgs => ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(new LbfgsMaximumEntropyMulticlassTrainer.Options
        {
            LabelColumnName = "Label",
            FeatureColumnName = "Features",
            ExampleWeightColumnName = "Weight",
            NumberOfThreads = 1,
            L2Regularization = options.L2 ?? 1f,
            L1Regularization = options.L1 ?? 1f,
        }),
        _ => ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(new SdcaMaximumEntropyMulticlassTrainer.Options
        {
            LabelColumnName = "Label",
            FeatureColumnName = "Features",
            ExampleWeightColumnName = "Weight",
            NumberOfThreads = 1,
            L2Regularization = options.L2,
        }),
    };

    /// <summary>The words of the second feature column: the fixed files' path components and/or the rules' decision.</summary>
    private static string Extra(CveRecord record, CveModelOptions options)
    {
        var files = options.FileTokens ? CveText.Files(record) : "";
        if (!options.RuleFeatures)
            return files;
        var byRules = BugClassifier.Default.Classify(record);
        return $"{files} rule_{byRules.Class.Replace('-', '_')} rule_{byRules.Confidence.ToString().ToLowerInvariant()} rule_{byRules.Class.Replace('-', '_')}_{byRules.Confidence.ToString().ToLowerInvariant()}".Trim();
    }

    /// <summary>
    /// ML.NET's model zip with its entries' times fixed: ML.NET stamps them with the clock, so the same model would
    /// otherwise give different bytes (and a different <see cref="Version"/>) on every save.
    /// </summary>
    private static byte[] SaveMl(MLContext ml, ITransformer transformer, DataViewSchema schema)
    {
        using var raw = new MemoryStream();
        ml.Model.Save(transformer, schema, raw);
        raw.Position = 0;
        using var canonical = new MemoryStream();
        using (var source = new ZipArchive(raw, ZipArchiveMode.Read))
        using (var target = new ZipArchive(canonical, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var entry in source.Entries)
            {
                using var input = entry.Open();
                using var memory = new MemoryStream();
                input.CopyTo(memory);
                Write(target, entry.FullName, memory.ToArray(), CompressionLevel.Optimal);
            }
        }
        return canonical.ToArray();
    }

    private static void Write(ZipArchive zip, string name, byte[] bytes, CompressionLevel level)
    {
        var entry = zip.CreateEntry(name, level);
        entry.LastWriteTime = FixedTime;
        using var stream = entry.Open();
        stream.Write(bytes);
    }

    private static string Hash(byte[] mlBytes, IReadOnlyList<StoredLabel> labelled)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(mlBytes);
        sha.AppendData(JsonSerializer.SerializeToUtf8Bytes(labelled));
        return Convert.ToHexStringLower(sha.GetHashAndReset())[..12];
    }

    internal sealed record StoredLabel(string Id, string Class, string Text, string Files);

    internal sealed class ClassRow
    {
        public string Label { get; set; } = "";
    }

    /// <summary>A <see cref="TextRow"/> with the record's embedding (a separate type, so models without embeddings keep their input schema).</summary>
    internal sealed class EmbeddedRow
    {
        public string Text { get; set; } = "";
        public string Files { get; set; } = "";
        public string Label { get; set; } = "";
        public float Weight { get; set; } = 1f;
        public float[] Embedding { get; set; } = [];
    }

    internal sealed class TextRow
    {
        public string Text { get; set; } = "";
        public string Files { get; set; } = "";
        public string Label { get; set; } = "";
        public float Weight { get; set; } = 1f;
    }
}
