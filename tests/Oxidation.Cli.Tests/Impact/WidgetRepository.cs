
namespace Oxidation.Cli.Tests.Impact;

/// <summary>
/// A small kernel-shaped git repository, built with git itself under fixed identities and dates, whose commits each make one
/// kind of C change issue 14 names: a bound function's signature (with the abstraction that calls it), a field Rust reads, a
/// macro a helper wraps, an enum value, an unrelated header, a header changed with an unrelated Rust file, a rename, a mode change.
/// <c>bindings_helper.h</c> includes <c>widget.h</c> and <c>gadget.h</c>; <c>rust/kernel/widget.rs</c> calls
/// <c>widget_start</c> (line 8), reads <c>.speed</c> (12), calls the helper <c>widget_lock</c> (16) and compares with
/// <c>widget_state_WIDGET_DOWN</c> (20); the driver <c>drivers/widget/rust_widget.rs</c> calls <c>widget_start</c> (9) and
/// uses <c>kernel::widget</c>.
/// </summary>
public sealed class WidgetRepository : IDisposable
{
    public const string WidgetH = """
        #ifndef _LINUX_WIDGET_H
        #define _LINUX_WIDGET_H

        struct widget {
        	int speed;
        	int flags;
        };

        enum widget_state {
        	WIDGET_DOWN,
        	WIDGET_UP,
        };

        int widget_start(struct widget *w);

        #define widget_lock(w) do { } while (0)

        #endif

        """;

    public const string WidgetRs = """
        // SPDX-License-Identifier: GPL-2.0

        //! Widgets.

        use crate::bindings;

        pub fn start(w: *mut bindings::widget) -> i32 {
            unsafe { bindings::widget_start(w) }
        }

        pub fn speed(w: &bindings::widget) -> i32 {
            w.speed
        }

        pub fn lock(w: *mut bindings::widget) {
            unsafe { bindings::widget_lock(w) }
        }

        pub fn is_down(s: u32) -> bool {
            s == bindings::widget_state_WIDGET_DOWN
        }

        """;

    private const string Driver = """
        // SPDX-License-Identifier: GPL-2.0

        //! A widget driver.

        use kernel::bindings;
        use kernel::widget;

        fn probe() -> i32 {
            unsafe { bindings::widget_start(core::ptr::null_mut()) }
        }

        fn down() -> bool {
            widget::is_down(0)
        }

        """;

    private const string Helper = """
        #include <linux/widget.h>

        void rust_helper_widget_lock(struct widget *w)
        {
        	widget_lock(w);
        }

        """;

    private const string Maintainers = """
        List of maintainers
        -------------------

        RUST
        M:	Miguel Ojeda <ojeda@example.org>
        S:	Maintained
        F:	rust/

        WIDGET SUBSYSTEM
        M:	Ada Author <ada@example.org>
        S:	Maintained
        F:	drivers/widget/
        F:	include/linux/widget.h

        """;

    private int _day;

    public WidgetRepository()
    {
        Path = Directory.CreateTempSubdirectory("oxidation-impact-").FullName;
        Git("init", "-q", "-b", "master", ".");
        // Modes come from the index (update-index --chmod), not from the work tree, on every platform.
        Git("config", "core.fileMode", "false");
        Write("Makefile", "VERSION = 6\nPATCHLEVEL = 99\nSUBLEVEL = 0\nEXTRAVERSION =\n");
        Write("rust/bindings/bindings_helper.h", "#include <linux/widget.h>\n#include <linux/gadget.h>\n");
        Write("include/linux/widget.h", WidgetH);
        Write("include/linux/gadget.h", "int gadget_probe(void);\n");
        Write("include/linux/other.h", "int other_thing(void);\n");
        Write("rust/helpers/widget.c", Helper);
        Write("rust/kernel/widget.rs", WidgetRs);
        Write("drivers/widget/rust_widget.rs", Driver);
        Write("drivers/widget/Makefile", "obj-$(CONFIG_RUST_WIDGET) += rust_widget.o\n");
        Write("MAINTAINERS", Maintainers);
        Root = Commit("Widgets and gadgets");
        Replace("include/linux/widget.h", "int widget_start(struct widget *w);", "int widget_start(struct widget *w, int flags);");
        Replace("rust/kernel/widget.rs", "bindings::widget_start(w)", "bindings::widget_start(w, 0)");
        Signature = Commit("widget: widget_start takes flags");
        Replace("include/linux/widget.h", "\tint speed;", "\tlong speed;");
        Field = Commit("widget: speed is a long");
        Replace("include/linux/widget.h", "#define widget_lock(w) do { } while (0)", "#define widget_lock(w) do { (void)(w); } while (0)");
        Macro = Commit("widget: widget_lock evaluates its argument");
        Replace("include/linux/widget.h", "\tWIDGET_DOWN,", "\tWIDGET_DOWN = 4,");
        EnumValue = Commit("widget: WIDGET_DOWN is 4");
        Write("include/linux/other.h", "int other_thing(int x);\n");
        Unrelated = Commit("other: other_thing takes x");
        Write("include/linux/gadget.h", "int gadget_probe(int id);\n");
        Replace("rust/kernel/widget.rs", "//! Widgets.", "//! Widgets and their state.");
        Unused = Commit("gadget: gadget_probe takes an id");
        Git("mv", "include/linux/gadget.h", "include/linux/gizmo.h");
        Replace("rust/bindings/bindings_helper.h", "gadget.h", "gizmo.h");
        Rename = Commit("gadget: rename to gizmo");
        Git("update-index", "--chmod=+x", "include/linux/other.h");
        Mode = Commit("other: mode change");
    }

    public string Path { get; }

    public string Root { get; }

    public string Signature { get; }

    public string Field { get; }

    public string Macro { get; }

    public string EnumValue { get; }

    public string Unrelated { get; }

    public string Unused { get; }

    public string Rename { get; }

    public string Mode { get; }

    public string Git(params string[] arguments) => GitProcess.Run(Path, $"2024-01-{_day:00}T12:00:00+00:00", ("Ada Author", "ada@example.org"), arguments);

    private void Write(string path, string content)
    {
        var full = System.IO.Path.Combine(Path, path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content.ReplaceLineEndings("\n"));
    }

    private void Replace(string path, string old, string @new)
    {
        var full = System.IO.Path.Combine(Path, path);
        var text = File.ReadAllText(full);
        if (!text.Contains(old, StringComparison.Ordinal))
            throw new InvalidOperationException($"{path} has no {old}");
        File.WriteAllText(full, text.Replace(old, @new, StringComparison.Ordinal));
    }

    private string Commit(string message)
    {
        _day++;
        Git("add", "-A");
        Git("commit", "-q", "-m", message);
        return Git("rev-parse", "HEAD");
    }

    public void Dispose()
    {
        foreach (var file in new DirectoryInfo(Path).EnumerateFiles("*", SearchOption.AllDirectories))
            file.Attributes = FileAttributes.Normal;
        Directory.Delete(Path, recursive: true);
    }
}
