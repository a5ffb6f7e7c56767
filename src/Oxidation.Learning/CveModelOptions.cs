using System.Text.Json.Serialization;

namespace Oxidation.Learning;

/// <summary>The linear multiclass trainers tried.</summary>
public enum CveTrainer
{
    /// <summary>Stochastic dual coordinate ascent, maximum entropy (ML.NET's SdcaMaximumEntropy).</summary>
    Sdca,
    /// <summary>L-BFGS multinomial logistic regression (ML.NET's LbfgsMaximumEntropy).</summary>
    Lbfgs,
}

/// <summary>Whether sentence embeddings of the record (an <see cref="ICveEncoder"/>'s vectors) are features.</summary>
public enum CveEmbeddings
{
    /// <summary>No embeddings: the n-gram features alone (the recipe).</summary>
    None,
    /// <summary>The embedding vector alone is the feature vector (no n-grams).</summary>
    Alone,
    /// <summary>The embedding vector concatenated with the n-gram (and any other) features.</summary>
    WithText,
}

/// <summary>
/// How the text model is built: the featurizer (word and character n-grams of the normalised subject and body,
/// optionally the fixed files' path components) and the trainer. Immutable; the defaults are what cross-validation
/// on the training labels chose (data/cve-model/metrics.md).
/// </summary>
public sealed record CveModelOptions
{
    /// <summary>The seed of ML.NET's context: same seed, same data, same model.</summary>
    public int Seed { get; init; } = 20261202;

    /// <summary>Word n-grams of lengths 1..this (0: none).</summary>
    public int WordNgrams { get; init; } = 2;

    /// <summary>Character n-grams of lengths 1..this (0: none).</summary>
    public int CharNgrams { get; init; } = 4;

    /// <summary>The most word n-grams kept per length (the most frequent): bounds the model's size.</summary>
    public int MaxWordNgrams { get; init; } = 20000;

    /// <summary>The most character n-grams kept per length.</summary>
    public int MaxCharNgrams { get; init; } = 10000;

    /// <summary>Whether the fixed files' path components (<c>drivers</c>, <c>net</c>, <c>ath10k</c> …) are features.</summary>
    public bool FileTokens { get; init; }

    /// <summary>Whether the rules' class and confidence for the record (<c>rule_null_deref rule_medium</c>) are features.</summary>
    public bool RuleFeatures { get; init; }

    /// <summary>Whether embeddings are features (they need an <see cref="ICveEncoder"/> to train and to predict).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public CveEmbeddings Embeddings { get; init; }

    /// <summary>The factor the (unit) embedding vector is multiplied by before it joins the features (null: 1).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public float? EmbeddingScale { get; init; }

    /// <summary>The trainer.</summary>
    public CveTrainer Trainer { get; init; } = CveTrainer.Sdca;

    /// <summary>L1 regularisation of L-BFGS (null: 1).</summary>
    public float? L1 { get; init; }

    /// <summary>L2 regularisation (null: the trainer's default).</summary>
    public float? L2 { get; init; }

    /// <summary>A short description for tables.</summary>
    public string Describe() =>
        $"{Trainer}, {(WordNgrams > 0 ? $"words 1-{WordNgrams} (≤{MaxWordNgrams} each)" : "no words")}, {(CharNgrams > 0 ? $"chars 1-{CharNgrams} (≤{MaxCharNgrams} each)" : "no chars")}{(FileTokens ? ", file tokens" : "")}{(RuleFeatures ? ", rules' class" : "")}{(L2 is { } l ? $", L2 {l}" : "")}{Embeddings switch { CveEmbeddings.Alone => $", embeddings alone (×{EmbeddingScale ?? 1f})", CveEmbeddings.WithText => $", + embeddings (×{EmbeddingScale ?? 1f})", _ => "" }}";
}
