using Oxidation.Store;

namespace Oxidation.Reports.Tests;

/// <summary>The keys the table registry declares (docs/database.md) identify rows on real data: 6.1, 6.12 and the CVE snapshot.</summary>
[Collection("real database")]
public sealed class TableKeyTests(RealDatabase real)
{
    [Fact]
    public void Declared_keys_are_unique_on_the_real_trees_and_the_cve_snapshot()
    {
        using var db = OxidationDatabase.OpenReadOnly(real.Path);
        var duplicated = new List<string>();
        var empty = new List<string>();
        var checkedTables = 0;
        foreach (var t in TableRegistry.All.Where(t => t.Key.Count > 0 && t.Group is not TableGroup.History))
        {
            var key = string.Join(", ", t.Key);
            var rows = Convert.ToInt64(db.Query($"SELECT count(*) FROM {t.Name}")[0][0], System.Globalization.CultureInfo.InvariantCulture);
            var distinct = Convert.ToInt64(db.Query($"SELECT count(*) FROM (SELECT DISTINCT {key} FROM {t.Name})")[0][0], System.Globalization.CultureInfo.InvariantCulture);
            if (rows == 0)
            {
                empty.Add(t.Name);
                continue;
            }
            if (rows != distinct)
                duplicated.Add($"{t.Name} ({key}): {rows - distinct} of {rows} rows repeat a key, e.g. " + string.Join("; ",
                    db.Query($"SELECT * FROM {t.Name} WHERE ({key}) IN (SELECT ({key}) FROM {t.Name} GROUP BY ALL HAVING count(*) > 1) ORDER BY ALL LIMIT 4")
                        .Select(r => string.Join(" | ", r.Select(v => v is string x && x.Length > 60 ? x[..60] : v)))));
            checkedTables++;
        }
        Assert.True(duplicated.Count == 0, string.Join("\n", duplicated));
        // The snapshot has no record the import skips; every other keyed table has rows here.
        Assert.Equal(["cve_problems"], empty);
        Assert.Equal(TableRegistry.All.Count(t => t.Key.Count > 0 && t.Group is not TableGroup.History) - 1, checkedTables);
    }
}
