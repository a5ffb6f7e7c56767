using Oxidation.Cves;

namespace Oxidation.Learning.Tests;

public sealed class TrainingDataTests
{
    /// <summary>The held-out ids, from the sample file's id and set columns only (no label is read).</summary>
    private static HashSet<string> HeldOutIds()
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        string[]? header = null;
        foreach (var line in File.ReadLines(Snapshot.SampleV1))
        {
            if (line.Length == 0 || line.StartsWith('#'))
                continue;
            var fields = line.Split('\t');
            if (header is null)
            {
                header = fields;
                continue;
            }
            if (fields[Array.IndexOf(header, "set")] == "holdout")
                ids.Add(fields[Array.IndexOf(header, "id")]);
        }
        return ids;
    }

    [Fact]
    public void Training_labels_are_the_150_earlier_ones_and_the_440_train_rows_of_labels_v1()
    {
        var labels = TrainingData.ReadLabels(Snapshot.EarlierLabels, Snapshot.LabelsV1);
        Assert.Equal(590, labels.Count);
        Assert.Equal(150, labels.Count(l => l.Set is "tune" or "holdout"));
        Assert.Equal(440, labels.Count(l => l.Set == "train"));
    }

    [Fact]
    public void Training_data_contains_no_held_out_record()
    {
        var heldOut = HeldOutIds();
        Assert.Equal(220, heldOut.Count);
        var labels = TrainingData.ReadLabels(Snapshot.EarlierLabels, Snapshot.LabelsV1);
        Assert.DoesNotContain(labels, l => heldOut.Contains(l.Id));
        var reserved = TrainingData.ReservedIds(Snapshot.EarlierLabels, Snapshot.SampleV1);
        Assert.Superset(heldOut, reserved.ToHashSet());
        var silver = TrainingData.Silver(Snapshot.Records, reserved, BugClassifier.Default, 1f);
        Assert.True(silver.Count > 5000, $"{silver.Count} silver records");
        Assert.DoesNotContain(silver, s => heldOut.Contains(s.Record.Id) || reserved.Contains(s.Record.Id));
        Assert.All(silver, s => Assert.True(s.Silver));
    }

    [Fact]
    public void Folds_are_stratified_and_fixed_by_the_seed()
    {
        var gold = Snapshot.Gold;
        var folds = CrossValidation.Folds(gold, 5, 20261202);
        Assert.Equal(folds, CrossValidation.Folds(gold, 5, 20261202));
        var sizes = folds.GroupBy(f => f).Select(g => g.Count()).ToList();
        Assert.Equal(5, sizes.Count);
        Assert.True(sizes.Max() - sizes.Min() <= 1);
        foreach (var cls in gold.GroupBy(g => g.Class))
        {
            var perFold = Enumerable.Range(0, 5).Select(f => cls.Count(e => folds[IndexOf(gold, e)] == f)).ToList();
            Assert.True(perFold.Max() - perFold.Min() <= 1, $"{cls.Key}: {string.Join(",", perFold)}");
        }
    }

    private static int IndexOf(IReadOnlyList<LabelledCve> list, LabelledCve item)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (ReferenceEquals(list[i], item))
                return i;
        }
        return -1;
    }

    [Fact]
    public void Text_is_lower_cased_with_punctuation_and_digit_runs_folded()
    {
        Assert.Equal("use after free at 0xffff0 in foo_bar", CveText.Normalise("Use-After-Free at 0xffff1234 in foo_bar()."));
        Assert.Equal("", CveText.Normalise("  -- \n"));
    }

    [Fact]
    public void Agreement_counts_classes_and_derived_flags()
    {
        var a = Agreement.Of([("use-after-free", "use-after-free"), ("use-after-free", "out-of-bounds"), ("null-deref", "logic"), ("logic", "logic")], BugClassifier.Default);
        Assert.Equal(4, a.Count);
        Assert.Equal(2, a.Exact);
        Assert.Equal(4, a.MemorySafety); // uaf→oob keeps memorySafety; null-deref→logic: neither is memory-safety
        Assert.Equal(3, a.Prevented);
        var uaf = a.Classes.Single(c => c.Class == "use-after-free");
        Assert.Equal((2, 1, 1), (uaf.Support, uaf.Predicted, uaf.Correct));
        Assert.Equal(0.5, a.Classes.Single(c => c.Class == "logic").Precision);
    }
}
