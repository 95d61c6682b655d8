using System.Reflection;
using System.Reflection.Emit;
using Bpf.Native.Execution;
using Bpf.Native.Semantics;
using Bpf.Native.Verifier;

namespace Bpf.Native.Jit;

/// <summary>
/// The method a chunked function is called through: it keeps the function's registers in a register file on the
/// native stack and runs chunk after chunk, each chunk returning the instruction where control continues (or -1
/// with r0 when the function returns). Chunks are aligned to <see cref="JitOptions.ChunkInstructions"/> from the
/// function's start, so the chunk of an instruction is a shift away and the dispatch is one IL switch.
/// </summary>
internal static unsafe class ChunkDispatcherEmitter
{
    private static readonly FieldInfo s_contextField = typeof(BpfRunContext).GetField(nameof(BpfRunContext.Context))!;
    private static readonly FieldInfo s_contextLengthField = typeof(BpfRunContext).GetField(nameof(BpfRunContext.ContextLength))!;
    private static readonly FieldInfo s_stackTopField = typeof(BpfRunContext).GetField(nameof(BpfRunContext.StackTop))!;

    public static void Emit(DynamicMethod dispatcher, Subprogram function, DynamicMethod[] chunks, int chunkShift)
    {
        var il = dispatcher.GetILGenerator();
        var registers = il.DeclareLocal(typeof(ulong*));
        var next = il.DeclareLocal(typeof(int));
        var r0 = il.DeclareLocal(typeof(ulong));

        il.Emit(OpCodes.Ldc_I4, 11 * sizeof(ulong));
        il.Emit(OpCodes.Conv_U);
        il.Emit(OpCodes.Localloc);
        il.Emit(OpCodes.Stloc, registers);
        for (int r = 0; r < 11; r++)
        {
            StoreRegister(il, registers, r, () => il.Emit(OpCodes.Ldc_I8, 0L));
        }
        if (function.Index == 0)
        {
            StoreRegister(il, registers, 1, () => { il.Emit(OpCodes.Ldarg_0); il.Emit(OpCodes.Ldfld, s_contextField); il.Emit(OpCodes.Conv_U8); });
            StoreRegister(il, registers, 2, () => { il.Emit(OpCodes.Ldarg_0); il.Emit(OpCodes.Ldfld, s_contextLengthField); });
            StoreRegister(il, registers, CallConvention.FramePointerRegister,
                () => { il.Emit(OpCodes.Ldarg_0); il.Emit(OpCodes.Ldfld, s_stackTopField); il.Emit(OpCodes.Conv_U8); });
        }
        else
        {
            for (int r = 1; r <= CallConvention.ArgumentRegisterCount + 1; r++)
            {
                int register = r <= CallConvention.ArgumentRegisterCount ? r : CallConvention.FramePointerRegister;
                short argument = (short)r;
                StoreRegister(il, registers, register, () => il.Emit(OpCodes.Ldarg, argument));
            }
        }
        il.Emit(OpCodes.Ldc_I4, function.Start);
        il.Emit(OpCodes.Stloc, next);

        var loop = il.DefineLabel();
        var labels = chunks.Select(_ => il.DefineLabel()).ToArray();
        il.MarkLabel(loop);
        il.Emit(OpCodes.Ldloc, next);
        il.Emit(OpCodes.Ldc_I4, function.Start);
        il.Emit(OpCodes.Sub);
        il.Emit(OpCodes.Ldc_I4, chunkShift);
        il.Emit(OpCodes.Shr);
        il.Emit(OpCodes.Switch, labels);
        il.Emit(OpCodes.Ldc_I8, 0L); // unreachable: the verifier keeps jumps inside the function
        il.Emit(OpCodes.Ret);
        for (int c = 0; c < chunks.Length; c++)
        {
            il.MarkLabel(labels[c]);
            il.Emit(OpCodes.Ldarg_0);
            il.Emit(OpCodes.Ldloc, registers);
            il.Emit(OpCodes.Ldloc, next);
            il.Emit(OpCodes.Ldloca, next);
            il.Emit(OpCodes.Call, chunks[c]);
            il.Emit(OpCodes.Stloc, r0);
            il.Emit(OpCodes.Ldloc, next);
            il.Emit(OpCodes.Ldc_I4_0);
            il.Emit(OpCodes.Bge, loop);
            il.Emit(OpCodes.Ldloc, r0);
            il.Emit(OpCodes.Ret);
        }
    }

    private static void StoreRegister(ILGenerator il, LocalBuilder registers, int register, Action loadValue)
    {
        il.Emit(OpCodes.Ldloc, registers);
        il.Emit(OpCodes.Ldc_I4, register * sizeof(ulong));
        il.Emit(OpCodes.Add);
        loadValue();
        il.Emit(OpCodes.Stind_I8);
    }
}
