r1 += r2
r3 += -7
w4 += w5
w6 += 100
r1 -= r2
r3 -= -7
w4 -= w5
w6 -= 100
r1 *= r2
r3 *= -7
w4 *= w5
w6 *= 100
r1 /= r2
r3 /= -7
w4 /= w5
w6 /= 100
r1 |= r2
r3 |= -7
w4 |= w5
w6 |= 100
r1 &= r2
r3 &= -7
w4 &= w5
w6 &= 100
r1 <<= r2
r3 <<= -7
w4 <<= w5
w6 <<= 100
r1 >>= r2
r3 >>= -7
w4 >>= w5
w6 >>= 100
r1 ^= r2
r3 ^= -7
w4 ^= w5
w6 ^= 100
r1 = r2
r3 = -7
w4 = w5
w6 = 100
r1 s>>= r2
r3 s>>= -7
w4 s>>= w5
w6 s>>= 100
r7 = -r7
w8 = -w8
r9 = be16 r9
r0 = be32 r0
r1 = be64 r1
r2 = le16 r2
r3 = le32 r3
r4 = le64 r4
if r1 == r2 goto +1
if r3 == -3 goto -2
if w4 == w5 goto +0
if w6 == 2147483647 goto +3
if r1 > r2 goto +1
if r3 > -3 goto -2
if w4 > w5 goto +0
if w6 > 2147483647 goto +3
if r1 >= r2 goto +1
if r3 >= -3 goto -2
if w4 >= w5 goto +0
if w6 >= 2147483647 goto +3
if r1 != r2 goto +1
if r3 != -3 goto -2
if w4 != w5 goto +0
if w6 != 2147483647 goto +3
if r1 s> r2 goto +1
if r3 s> -3 goto -2
if w4 s> w5 goto +0
if w6 s> 2147483647 goto +3
if r1 s>= r2 goto +1
if r3 s>= -3 goto -2
if w4 s>= w5 goto +0
if w6 s>= 2147483647 goto +3
if r1 < r2 goto +1
if r3 < -3 goto -2
if w4 < w5 goto +0
if w6 < 2147483647 goto +3
if r1 <= r2 goto +1
if r3 <= -3 goto -2
if w4 <= w5 goto +0
if w6 <= 2147483647 goto +3
if r1 s< r2 goto +1
if r3 s< -3 goto -2
if w4 s< w5 goto +0
if w6 s< 2147483647 goto +3
if r1 s<= r2 goto +1
if r3 s<= -3 goto -2
if w4 s<= w5 goto +0
if w6 s<= 2147483647 goto +3
goto +5
goto -1
call 12
call 0
exit
r2 = 0 ll
r3 = -1 ll
r4 = 0x7fffffffffffffff ll
r5 = 4294967296 ll
r1 = *(u8 *)(r2 + 32767)
r3 = *(u8 *)(r10 - 32768)
*(u8 *)(r10 - 8) = r4
r1 = *(u16 *)(r2 + 32767)
r3 = *(u16 *)(r10 - 32768)
*(u16 *)(r10 - 8) = r4
r1 = *(u32 *)(r2 + 32767)
r3 = *(u32 *)(r10 - 32768)
*(u32 *)(r10 - 8) = r4
r1 = *(u64 *)(r2 + 32767)
r3 = *(u64 *)(r10 - 32768)
*(u64 *)(r10 - 8) = r4
lock *(u64 *)(r10 - 16) += r5
lock *(u32 *)(r1 + 4) += r2
r0 = *(u8 *)skb[0]
r0 = *(u16 *)skb[12]
r0 = *(u32 *)skb[-2097152]
r0 = *(u8 *)skb[r1]
r0 = *(u16 *)skb[r9]
r0 = *(u32 *)skb[r3]
