using System.Diagnostics;
using System.Text;
using CsCheck;
using Oxidation.CHeaders;

namespace Oxidation.Tests.CHeaders;

public sealed class CDeclarationsTests
{
    private static CFileDeclarations Parse(string text) => CDeclarations.Parse(Encoding.UTF8.GetBytes(text), "test.h");

    private static CDeclaration Single(CFileDeclarations file, CDeclarationKind kind, string name) => Assert.Single(file.Named(kind, name));

    [Fact]
    public void Functions_with_annotations_have_their_names_and_one_line_signatures()
    {
        var file = Parse("""
            __printf(2, 3) __cold
            void dev_err(const struct device *dev,
                         const char *fmt, ...);  /* comment */
            extern void __iomem *ioremap(resource_size_t offset, unsigned long size) __must_check;
            asmlinkage long sys_read(unsigned int fd, char __user *buf, size_t count);
            static __always_inline __must_check bool refcount_inc_not_zero(refcount_t *r)
            {
            	return __refcount_inc_not_zero(r, NULL);
            }
            void spin_lock(spinlock_t *lock) __acquires(lock);
            int __attribute__((weak)) arch_foo(void) __attribute__((section(".x")));
            static inline void * __must_check ERR_PTR(long error)
            {
                return (void *) error;
            }
            """);
        var devErr = Single(file, CDeclarationKind.Function, "dev_err");
        Assert.Equal("__printf(2, 3) __cold void dev_err(const struct device *dev, const char *fmt, ...)", devErr.Text);
        Assert.Equal((2, new LineRange(1, 3)), (devErr.Line, devErr.Lines));
        Assert.Null(devErr.Body);
        var ioremap = Single(file, CDeclarationKind.Function, "ioremap");
        Assert.True(ioremap.IsExtern);
        Assert.Equal(5, Single(file, CDeclarationKind.Function, "sys_read").Line);
        var inc = Single(file, CDeclarationKind.Function, "refcount_inc_not_zero");
        Assert.True(inc.IsStaticInline);
        Assert.Equal(new LineRange(7, 9), inc.Body);
        Assert.Equal(new LineRange(6, 9), inc.Lines);
        Single(file, CDeclarationKind.Function, "spin_lock");
        Single(file, CDeclarationKind.Function, "arch_foo");
        Assert.Equal(new LineRange(13, 15), Single(file, CDeclarationKind.Function, "ERR_PTR").Body);
        Assert.True(file.Declarations.Count == 7, string.Join("; ", file.Declarations));
    }

    [Fact]
    public void Struct_fields_are_read_with_their_types_and_anonymous_members_flattened()
    {
        var file = Parse("""
            struct phy_device {
            	struct mdio_device mdio;
            	const struct phy_driver *drv;
            	u32 phy_id;
            	unsigned is_c45:1, suspended:1;
            	int (*probe)(struct phy_device *phydev);
            	char name[16] __aligned(8);
            	union {
            		struct list_head node;
            		struct rcu_head rcu __rcu;
            	};
            	struct {
            		int a;
            	} named;
            	DECLARE_BITMAP(supported, 42);
            	struct_group(addrs,
            		__be32 saddr;
            		__be32 daddr;
            	);
            	u32 : 3;
            	__bpf_md_ptr(struct bpf_sock *, sk);
            	void *priv;
            } __randomize_layout;
            """);
        Assert.Equal(1, Single(file, CDeclarationKind.Struct, "phy_device").Line);
        var fields = file.FieldsOf("struct phy_device").ToList();
        Assert.Equal(
            ["mdio", "drv", "phy_id", "is_c45", "suspended", "probe", "name", "node", "rcu", "named", "named.a", "supported", "addrs", "saddr", "daddr", "sk", "priv"],
            fields.Select(f => f.Name));
        Assert.Equal("struct mdio_device", fields[0].Text);
        Assert.Equal("const struct phy_driver *", fields[1].Text);
        Assert.Equal("unsigned :1", fields[3].Text);
        Assert.Equal("unsigned :1", fields[4].Text);
        Assert.Equal("int (*)(struct phy_device *phydev)", fields[5].Text);
        Assert.Equal(7, fields[6].Line);
        Assert.Equal("in anonymous union at line 8", fields[7].Note);
        Assert.Equal("declared by DECLARE_BITMAP", fields[11].Note);
        Assert.Equal("in struct_group(addrs)", fields[13].Note);
        Assert.Equal(22, fields[^1].Line);
    }

    [Fact]
    public void Typedefs_include_function_pointers_and_anonymous_structs()
    {
        var file = Parse("""
            typedef struct refcount_struct {
            	atomic_t refs;
            } refcount_t;
            typedef struct {
            	int counter;
            } atomic_t;
            typedef void (*irq_flow_handler_t)(struct irq_desc *desc);
            typedef int (cmp_func_t)(const void *a, const void *b);
            typedef unsigned long __kernel_ulong_t, *ulong_ptr;
            typedef u32 __bitwise __le32;
            """);
        Assert.Equal("typedef struct refcount_struct { … } refcount_t", Single(file, CDeclarationKind.Typedef, "refcount_t").Text);
        Assert.Equal(["refs"], file.FieldsOf("struct refcount_struct").Select(f => f.Name));
        Assert.Equal(["counter"], file.FieldsOf("atomic_t").Select(f => f.Name));
        Assert.Equal("anonymous, named by its typedef", Single(file, CDeclarationKind.Struct, "atomic_t").Note);
        Assert.True(Single(file, CDeclarationKind.Typedef, "irq_flow_handler_t").IsFunctionPointer);
        Single(file, CDeclarationKind.Typedef, "cmp_func_t");
        Single(file, CDeclarationKind.Typedef, "__kernel_ulong_t");
        Single(file, CDeclarationKind.Typedef, "ulong_ptr");
        Single(file, CDeclarationKind.Typedef, "__le32");
    }

    [Fact]
    public void Enums_have_their_values()
    {
        var file = Parse("""
            enum phy_state {
            	PHY_DOWN = 0,
            	PHY_READY,
            	PHY_HALTED = (1 << 4),
            	PHY_ERROR,
            	PHY_MAX = PHY_ERROR + 2,
            	PHY_UNKNOWN = SOME_MACRO,
            	PHY_NEXT,
            };
            enum { ANON_A = -1, ANON_B };
            """);
        Assert.Equal(
            [("PHY_DOWN", (long?)0), ("PHY_READY", 1), ("PHY_HALTED", 16), ("PHY_ERROR", 17), ("PHY_MAX", 19), ("PHY_UNKNOWN", null), ("PHY_NEXT", null)],
            file.ValuesOf("enum phy_state").Select(v => (v.Name, v.Value)));
        Assert.Equal([("ANON_A", (long?)-1), ("ANON_B", 0)], file.ValuesOf("enum").Select(v => (v.Name, v.Value)));
        Assert.Equal("SOME_MACRO", Single(file, CDeclarationKind.EnumValue, "PHY_UNKNOWN").Text);
    }

    [Fact]
    public void Macros_object_and_function_like_spanning_lines()
    {
        var file = Parse("""
            #define GFP_KERNEL	(__GFP_RECLAIM | __GFP_IO | __GFP_FS) /* why */
            #define kmalloc_obj(p, ...) \
            	kmalloc(sizeof(*(p)), \
            		__VA_ARGS__)
            # define __user
            #define pr_fmt(fmt) "x: /* not a comment */" fmt
            #define EMPTY_ARGS() 1
            """);
        var gfp = Single(file, CDeclarationKind.Macro, "GFP_KERNEL");
        Assert.Equal("(__GFP_RECLAIM | __GFP_IO | __GFP_FS)", gfp.Text);
        Assert.Null(gfp.Parameters);
        var obj = Single(file, CDeclarationKind.Macro, "kmalloc_obj");
        Assert.Equal(["p", "..."], obj.Parameters);
        Assert.Equal(new LineRange(2, 4), obj.Lines);
        Assert.Equal("kmalloc(sizeof(*(p)), __VA_ARGS__)", obj.Text);
        Assert.Equal("", Single(file, CDeclarationKind.Macro, "__user").Text);
        Assert.Equal("\"x: /* not a comment */\" fmt", Single(file, CDeclarationKind.Macro, "pr_fmt").Text);
        Assert.Empty(Single(file, CDeclarationKind.Macro, "EMPTY_ARGS").Parameters!);
    }

    [Fact]
    public void Macro_invocations_are_macro_uses_not_functions()
    {
        var file = Parse("""
            DECLARE_PER_CPU(int, cpu_number);
            extern DECLARE_PER_CPU(struct task_struct *, current_task);
            DEFINE_GUARD(mutex, struct mutex *, mutex_lock(_T), mutex_unlock(_T))
            DEFINE_GUARD_COND(mutex, _try, mutex_trylock(_T))
            static inline int after(void) { return 0; }
            EXPORT_SYMBOL_GPL(after);
            SYSCALL_DEFINE1(close, unsigned int, fd)
            {
            	return 0;
            }
            """);
        Assert.Equal(
            ["DECLARE_PER_CPU", "DECLARE_PER_CPU", "DEFINE_GUARD", "DEFINE_GUARD_COND", "EXPORT_SYMBOL_GPL", "SYSCALL_DEFINE1"],
            file.Declarations.Where(d => d.Kind == CDeclarationKind.MacroUse).Select(d => d.Name));
        Assert.Equal(["after"], file.Declarations.Where(d => d.Kind == CDeclarationKind.Function).Select(d => d.Name));
        Assert.Equal(3, Single(file, CDeclarationKind.MacroUse, "DEFINE_GUARD").Line);
    }

    [Fact]
    public void Variables_and_constants_at_file_scope()
    {
        var file = Parse("""
            extern struct task_struct init_task;
            extern const char * const names[] __read_mostly;
            static const int answer = 42, other = 1;
            extern int (*hook)(int);
            struct forward;
            static struct x table = { .a = 1, .b = { 2 } };
            """);
        Assert.True(Single(file, CDeclarationKind.Variable, "init_task").IsExtern);
        var names = Single(file, CDeclarationKind.Variable, "names");
        Assert.True(names.IsConst && names.IsExtern);
        Assert.True(Single(file, CDeclarationKind.Variable, "answer").IsConst);
        Single(file, CDeclarationKind.Variable, "other");
        Single(file, CDeclarationKind.Variable, "hook");
        Assert.Equal("static struct x table = { … }", Single(file, CDeclarationKind.Variable, "table").Text);
        Assert.True(file.Declarations.Count == 6, string.Join("; ", file.Declarations));
    }

    [Fact]
    public void Every_branch_is_kept_and_unbalanced_branches_do_not_swallow_the_file()
    {
        var file = Parse("""
            #ifdef CONFIG_FOO
            extern int foo(void);
            #else
            static inline int foo(void) { return 0; }
            #endif
            static inline void bar(int a)
            {
            #ifdef CONFIG_X
            	if (a) {
            #else
            	if (!a) {
            #endif
            		a++;
            	}
            }
            #if 0
            int dead(void);
            #define DEAD 1
            #else
            int alive(void);
            #endif
            #ifdef __cplusplus
            extern "C" {
            #endif
            int in_extern_c(void);
            #ifdef __cplusplus
            }
            #endif
            int last(void);
            """);
        Assert.Equal(["foo", "foo", "bar", "alive", "in_extern_c", "last"], file.Declarations.Where(d => d.Kind == CDeclarationKind.Function).Select(d => d.Name));
        Assert.Equal(new LineRange(7, 15), Single(file, CDeclarationKind.Function, "bar").Body);
        Assert.Empty(file.Named(CDeclarationKind.Macro, "DEAD"));
        Assert.Empty(file.Problems);
    }

    [Fact]
    public void Conditions_on_names_bindgen_fixes_are_decided_and_others_are_not()
    {
        var file = Parse("""
            #ifndef __KERNEL__
            #include <stdlib.h>
            int user_space(void);
            #endif
            #ifdef __ASSEMBLY__
            call foo(bar)
            #else
            int c_code(void);
            #endif
            #if !defined(__ASSEMBLY__)
            int also_c(void);
            #elif CONFIG_X
            int dead_too(void);
            #endif
            #if defined(CONFIG_X) && !defined(__ASSEMBLY__)
            int kept(void);
            #endif
            """);
        Assert.Equal(["c_code", "also_c", "kept"], file.Declarations.Select(d => d.Name));
        Assert.Empty(file.Includes);
    }

    [Fact]
    public void Macros_of_the_same_file_that_expand_to_annotations_are_skipped()
    {
        var file = Parse("""
            #ifdef CONFIG_X
            #define _struct_page_alignment	__aligned(16)
            #else
            #define _struct_page_alignment
            #endif
            struct page {
            	unsigned long flags;
            } _struct_page_alignment;
            """);
        Assert.DoesNotContain(file.Declarations, d => d.Kind == CDeclarationKind.Variable);
        Assert.Single(file.Named(CDeclarationKind.Struct, "page"));
    }

    [Fact]
    public void Includes_are_read_with_their_delimiters_and_lines()
    {
        var includes = CDeclarations.Includes(Encoding.UTF8.GetBytes("""
            #include <linux/slab.h>
            /* #include <linux/commented.h> */
            #  include "local.h"
            #include_next <asm/foo.h>
            #include TRACE_INCLUDE(TRACE_SYSTEM)
            #if 0
            #include <dead.h>
            #endif
            """));
        Assert.Equal(
            [new CInclude("linux/slab.h", true, false, false, 1), new CInclude("local.h", false, false, false, 3), new CInclude("asm/foo.h", true, true, false, 4), new CInclude("TRACE_INCLUDE(TRACE_SYSTEM)", false, false, true, 5)],
            includes);
    }

    [Fact]
    public void Comments_strings_and_continuations_do_not_confuse_lines()
    {
        var file = Parse("""
            /* a comment with struct fake { int x; }; inside
               over two lines */
            const char *s = "a ; { string";  char c = '{';
            int \
            split_decl;
            // int commented(void);
            int after_all(void);
            """);
        Assert.Equal([("s", 3), ("c", 3), ("split_decl", 5)], file.Declarations.Where(d => d.Kind == CDeclarationKind.Variable).Select(d => (d.Name, d.Line)));
        Assert.Equal(7, Single(file, CDeclarationKind.Function, "after_all").Line);
    }

    [Fact]
    public void Any_bytes_parse_without_throwing()
    {
        var special = "/*\"'\\\n#{}();,=[]:*<>typedefstructunionenum define if else endif 0 x_ ".Select(c => (byte)c).ToArray();
        var interesting = Gen.OneOf(Gen.Byte, Gen.Int[0, special.Length - 1].Select(i => special[i]));
        interesting.Array[0, 600].Sample(bytes =>
        {
            var file = CDeclarations.Parse(bytes, "fuzz.h");
            Assert.All(file.Declarations, d => Assert.True(d.Line >= 1 && d.Lines.First <= d.Lines.Last));
        }, iter: 20_000);
    }

    [Fact]
    public void Mutations_of_a_header_parse_without_throwing()
    {
        var header = Encoding.UTF8.GetBytes(string.Join('\n', File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Fixtures", "cheaders", "sample.h"))));
        var mutation = Gen.Select(Gen.Int[0, header.Length - 1], Gen.Int[0, 64], Gen.Byte, Gen.Int[0, 2]);
        mutation.Array[1, 8].Sample(mutations =>
        {
            var bytes = header.ToList();
            foreach (var (at, length, value, op) in mutations)
            {
                var start = Math.Min(at, bytes.Count);
                var count = Math.Min(length, bytes.Count - start);
                switch (op)
                {
                    case 0:
                        bytes.RemoveRange(start, count);
                        break;
                    case 1:
                        bytes.InsertRange(start, Enumerable.Repeat(value, Math.Max(1, length / 8)));
                        break;
                    default:
                        bytes.InsertRange(start, header.Skip(start).Take(count));
                        break;
                }
            }
            CDeclarations.Parse(bytes.ToArray(), "mutated.h");
        }, iter: 2_000);
    }

    [Fact]
    public void A_megabyte_enum_value_in_parentheses_parses_in_linear_time()
    {
        var bytes = Encoding.UTF8.GetBytes("enum { A = " + new string('(', 1 << 19) + "1" + new string(')', 1 << 19) + " };");
        var watch = Stopwatch.StartNew();
        var file = CDeclarations.Parse(bytes, "big.h");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"{watch.Elapsed}");
        Assert.Null(Assert.Single(file.Declarations).Value);
    }

    [Theory]
    [InlineData("{")]
    [InlineData("}")]
    [InlineData("(")]
    [InlineData("#if 1\n")]
    [InlineData("#else\n{\n")]
    [InlineData("struct a { ")]
    [InlineData("int f(void) { ")]
    [InlineData("x = {} ")]
    [InlineData("/*")]
    [InlineData("\"")]
    [InlineData("#define A(")]
    [InlineData("typedef struct { int a; } t; ")]
    public void A_megabyte_of_one_pattern_parses_in_linear_time(string pattern)
    {
        var bytes = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat(pattern, (1 << 20) / pattern.Length)));
        var watch = Stopwatch.StartNew();
        CDeclarations.Parse(bytes, "big.h");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"{pattern}: {watch.Elapsed}");
    }
}
