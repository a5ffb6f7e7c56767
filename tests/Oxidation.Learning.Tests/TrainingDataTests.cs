using Oxidation.Cves;

namespace Oxidation.Learning.Tests;

public sealed class TrainingDataTests
{
    /// <summary>The held-out ids of a sample file, from its id and set columns only (no label is read).</summary>
    private static HashSet<string> HeldOutIds(string sample)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        string[]? header = null;
        foreach (var line in File.ReadLines(sample))
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
    public void Training_labels_are_the_150_earlier_ones_and_labels_v1_whose_holdout_is_spent()
    {
        // labels-v1.tsv: 440 set=train and 220 set=holdout rows (grep -c); its holdout was scored once, 2026-12-02, so
        // all 660 train.
        var labels = TrainingData.ReadLabels(Snapshot.EarlierLabels, Snapshot.LabelsV1);
        var v1HeldOut = HeldOutIds(Snapshot.SampleV1);
        Assert.Equal(810, labels.Count);
        Assert.Equal(440, labels.Count(l => l.Set == "train"));
        Assert.Equal(220, labels.Count(l => v1HeldOut.Contains(l.Id)));
        Assert.Equal(150, labels.Count(l => l.Set != "train" && !v1HeldOut.Contains(l.Id)));
    }

    [Fact]
    public void Training_data_contains_no_record_of_the_holdout_the_shipped_model_was_scored_on()
    {
        var heldOut = HeldOutIds(Snapshot.SampleV4);
        Assert.Equal(240, heldOut.Count);
        // Scored once with the shipped model (holdout-score-v4.md); spent for the next retraining, not for this model.
        Assert.DoesNotContain("labels-v4.tsv", CveLabels.SpentHoldouts);
        var labels = TrainingData.ReadLabels(Snapshot.EarlierLabels, [.. TrainingData.LabelFiles(Snapshot.LabelsDirectory)]);
        Assert.DoesNotContain(labels, l => heldOut.Contains(l.Id));
        // The spent ones do train: v1's 220 and v3's 240 held-out rows.
        var trained = labels.Select(l => l.Id).ToHashSet(StringComparer.Ordinal);
        Assert.Subset(trained, HeldOutIds(Snapshot.SampleV1));
        Assert.Subset(trained, HeldOutIds(Snapshot.SampleV3));
        var reserved = TrainingData.ReservedIds([Snapshot.EarlierLabels, .. TrainingData.SampleFiles(Snapshot.LabelsDirectory)]);
        Assert.Superset(heldOut, reserved.ToHashSet());
        var silver = TrainingData.Silver(Snapshot.Records, reserved, BugClassifier.Default, 1f);
        Assert.True(silver.Count > 5000, $"{silver.Count} silver records");
        Assert.DoesNotContain(silver, s => reserved.Contains(s.Record.Id));
        Assert.All(silver, s => Assert.True(s.Silver));
    }

    [Fact]
    public void Spent_held_out_rows_train_but_never_calibrate()
    {
        var spent = HeldOutIds(Snapshot.SampleV1).Concat(HeldOutIds(Snapshot.SampleV3)).ToHashSet(StringComparer.Ordinal);
        Assert.Equal(460, spent.Count);
        Assert.DoesNotContain(CveLabels.Calibration, l => spent.Contains(l.Id));
        Assert.True(CveLabels.Trains("data/cve-labels/labels-v3.tsv", new CveLabel("CVE-2026-1", "holdout", "logic", null, null, "E", "")));
        Assert.False(CveLabels.Trains("data/cve-labels/labels-v4.tsv", new CveLabel("CVE-2026-1", "holdout", "logic", null, null, "J", "")));
        Assert.True(CveLabels.Trains("data/cve-labels/labels-v4.tsv", new CveLabel("CVE-2026-1", "train", "logic", null, null, "N", "")));
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
