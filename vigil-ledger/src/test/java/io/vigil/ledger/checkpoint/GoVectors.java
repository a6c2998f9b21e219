package io.vigil.ledger.checkpoint;

/**
 * Test vectors from golang.org/x/mod/sumdb/note (note_test.go: TestNewVerifier, TestNewSigner, TestSign, TestOpen),
 * the reference implementation of C2SP signed-note. Matching them byte for byte shows that notes signed by Vigil
 * verify with Go tooling and the other way round.
 */
final class GoVectors {
    static final String PETER_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
    static final String PETER_SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
    /** The base64 part of the signer key: the secret, which no message may echo. */
    static final String PETER_SECRET = "AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
    static final String ENOCH_VKEY = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop";

    static final String TEXT = "If you think cryptography is the answer to your problem,\n"
            + "then you don't know what your problem is.\n";
    static final String PETER_SIG = "\u2014 PeterNeumann "
            + "x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";
    static final String ENOCH_SIG = "\u2014 EnochRoot "
            + "rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n";
    /** What Go's Sign produces for TEXT with the PeterNeumann signer key. */
    static final String PETER_NOTE = TEXT + "\n" + PETER_SIG;

    private GoVectors() {
    }
}
