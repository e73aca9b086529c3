package pbwebhook.store;

import io.vertx.core.Context;
import java.util.function.BooleanSupplier;

/**
 * A writer's right to write, kept in its Vert.x context and checked by a store when a write is actually sent,
 * not when it was asked for: a write that waited in a rate-limit queue while its writer lost the client (a
 * freeze, a lapsed lease) is then refused instead of landing after the new owner's writes.
 */
public final class WriteFence {

  private static final String KEY = "pb.write-fence";

  private WriteFence() {}

  /** From now on, writes asked for on {@code ctx} are sent only while {@code mayWrite} says so. */
  public static void install(Context ctx, BooleanSupplier mayWrite) {
    ctx.put(KEY, mayWrite);
  }

  /** Whether a write asked for on {@code ctx} may be sent now (always, on a context without a fence). */
  public static boolean allows(Context ctx) {
    return !(ctx.get(KEY) instanceof BooleanSupplier mayWrite) || mayWrite.getAsBoolean();
  }
}
