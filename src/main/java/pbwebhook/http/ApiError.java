package pbwebhook.http;

/** A request that cannot be served, with the HTTP status to answer and a message naming what is wrong. */
public class ApiError extends RuntimeException {

  private final int status;

  public ApiError(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  public int status() { return status; }

  public static ApiError badRequest(String message) { return new ApiError(400, message); }
}
