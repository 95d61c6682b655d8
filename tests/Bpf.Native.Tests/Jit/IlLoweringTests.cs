using System.Reflection.Emit;
using Bpf.Native.Isa;
using Bpf.Native.Jit;
using Bpf.Native.Semantics;
using CsCheck;

namespace Bpf.Native.Tests.Jit;

/// <summary>
/// The JIT's inline IL for simple operations must equal the semantics table's method for every operand: each
/// lowering is compiled alone and compared with the table on random and edge-case values.
/// </summary>
public sealed unsafe class IlLoweringTests
{
    private static readonly Gen<ulong> s_operand = Gen.Frequency(
        (3, Gen.ULong),
        (2, Gen.OneOfConst(0UL, 1UL, 2UL, 31UL, 32UL, 33UL, 63UL, 64UL, 65UL, 0x7fUL, 0x80UL, 0xffUL, 0x7fffUL, 0x8000UL,
            0xffffUL, 0x7fff_ffffUL, 0x8000_0000UL, 0xffff_ffffUL, 0x1_0000_0000UL, 0x8000_0000_0000_0000UL,
            ulong.MaxValue, ulong.MaxValue - 1)),
        (1, Gen.Int.Select(i => (ulong)(long)i)));

    public static TheoryData<Operation> LoweredAluOperations()
    {
        var data = new TheoryData<Operation>();
        foreach (var info in OperationCatalog.All.Where(i => i.Shape == OperationShape.Alu && IlLowering.LowersAlu(i.Operation)))
        {
            data.Add(info.Operation);
        }
        return data;
    }

    public static TheoryData<Operation> ConditionalJumps()
    {
        var data = new TheoryData<Operation>();
        foreach (var info in OperationCatalog.All.Where(i => i.Shape == OperationShape.ConditionalJump))
        {
            data.Add(info.Operation);
        }
        return data;
    }

    public static TheoryData<Operation> LoadsAndStores()
    {
        var data = new TheoryData<Operation>();
        foreach (var info in OperationCatalog.All.Where(i => i.Shape is OperationShape.Load or OperationShape.Store))
        {
            data.Add(info.Operation);
        }
        return data;
    }

    [Fact]
    public void Most_arithmetic_is_lowered() =>
        Assert.True(OperationCatalog.All.Count(i => IlLowering.LowersAlu(i.Operation)) >= 27);

    [Theory]
    [MemberData(nameof(LoweredAluOperations))]
    public void Lowered_alu_equals_the_table(Operation operation)
    {
        var method = new DynamicMethod($"lowered_{operation}", typeof(ulong), [typeof(ulong), typeof(ulong)], typeof(IlLowering).Module, true);
        var il = method.GetILGenerator();
        IlLowering.EmitAlu(il, operation, () => il.Emit(OpCodes.Ldarg_0), () => il.Emit(OpCodes.Ldarg_1), null);
        il.Emit(OpCodes.Ret);
        var lowered = method.CreateDelegate<Func<ulong, ulong, ulong>>();
        var table = SemanticsTable.Method(operation).CreateDelegate<Func<ulong, ulong, ulong>>();

        Gen.Select(s_operand, s_operand).Sample((dst, operand) =>
            Assert.Equal(table(dst, operand), lowered(dst, operand)), iter: 20_000);
    }

    [Theory]
    [InlineData(Operation.Lsh64)]
    [InlineData(Operation.Rsh64)]
    [InlineData(Operation.Arsh64)]
    [InlineData(Operation.Lsh32)]
    [InlineData(Operation.Rsh32)]
    [InlineData(Operation.Arsh32)]
    public void Constant_shift_counts_are_masked_like_the_table(Operation operation)
    {
        var table = SemanticsTable.Method(operation).CreateDelegate<Func<ulong, ulong, ulong>>();
        foreach (long count in new long[] { 0, 1, 31, 32, 33, 63, 64, 65, -1, int.MaxValue, int.MinValue })
        {
            var method = new DynamicMethod("shift", typeof(ulong), [typeof(ulong)], typeof(IlLowering).Module, true);
            var il = method.GetILGenerator();
            IlLowering.EmitAlu(il, operation, () => il.Emit(OpCodes.Ldarg_0), () => throw new InvalidOperationException(), count);
            il.Emit(OpCodes.Ret);
            var lowered = method.CreateDelegate<Func<ulong, ulong>>();
            foreach (ulong dst in new[] { 1UL, 0x8000_0000UL, 0x8000_0000_0000_0000UL, ulong.MaxValue, 0x1234_5678_9abc_def0UL })
            {
                Assert.Equal(table(dst, (ulong)count), lowered(dst));
            }
        }
    }

    [Theory]
    [MemberData(nameof(ConditionalJumps))]
    public void Lowered_jump_condition_equals_the_table(Operation operation)
    {
        var method = new DynamicMethod($"lowered_{operation}", typeof(bool), [typeof(ulong), typeof(ulong)], typeof(IlLowering).Module, true);
        var il = method.GetILGenerator();
        var taken = il.DefineLabel();
        IlLowering.EmitConditionalJump(il, operation, () => il.Emit(OpCodes.Ldarg_0), () => il.Emit(OpCodes.Ldarg_1), taken);
        il.Emit(OpCodes.Ldc_I4_0);
        il.Emit(OpCodes.Ret);
        il.MarkLabel(taken);
        il.Emit(OpCodes.Ldc_I4_1);
        il.Emit(OpCodes.Ret);
        var lowered = method.CreateDelegate<Func<ulong, ulong, bool>>();
        var table = SemanticsTable.Method(operation).CreateDelegate<Func<ulong, ulong, bool>>();

        Gen.Select(s_operand, s_operand).Sample((dst, operand) =>
            Assert.Equal(table(dst, operand), lowered(dst, operand)), iter: 20_000);
    }

    [Theory]
    [MemberData(nameof(LoadsAndStores))]
    public void Lowered_memory_access_equals_the_table(Operation operation)
    {
        bool load = OperationCatalog.Info(operation).Shape == OperationShape.Load;
        var method = new DynamicMethod($"lowered_{operation}", load ? typeof(ulong) : typeof(void),
            load ? [typeof(ulong)] : [typeof(ulong), typeof(ulong)], typeof(IlLowering).Module, true);
        var il = method.GetILGenerator();
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Conv_U);
        if (load)
        {
            IlLowering.EmitLoad(il, operation);
        }
        else
        {
            il.Emit(OpCodes.Ldarg_1);
            IlLowering.EmitStore(il, operation);
        }
        il.Emit(OpCodes.Ret);

        var bytes = Gen.Byte.Array[16];
        Gen.Select(bytes, Gen.Int[0, 7], s_operand).Sample((initial, offset, value) =>
        {
            byte[] viaTable = (byte[])initial.Clone();
            byte[] viaLowering = (byte[])initial.Clone();
            fixed (byte* table = viaTable)
            fixed (byte* lowered = viaLowering)
            {
                ulong tableAddress = (ulong)(table + offset);
                ulong loweredAddress = (ulong)(lowered + offset);
                if (load)
                {
                    ulong expected = (ulong)SemanticsTable.Method(operation).Invoke(null, [tableAddress])!;
                    ulong actual = method.CreateDelegate<Func<ulong, ulong>>()(loweredAddress);
                    Assert.Equal(expected, actual);
                }
                else
                {
                    SemanticsTable.Method(operation).Invoke(null, [tableAddress, value]);
                    method.CreateDelegate<Action<ulong, ulong>>()(loweredAddress, value);
                    Assert.Equal(viaTable, viaLowering);
                }
            }
        }, iter: 2_000);
    }
}
