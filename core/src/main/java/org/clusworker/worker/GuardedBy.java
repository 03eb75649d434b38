package org.clusworker.worker;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The lock that guards a field, or that a method must be called with: {@code @GuardedBy("lock")}
 * names a field of the same class (or {@code "this"}). Error Prone's GuardedBy check reads any
 * annotation of this simple name and fails the build on an access without the lock held; clusworker
 * keeps its own so that {@code core} needs nothing but the JDK.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.FIELD, ElementType.METHOD})
public @interface GuardedBy {

    /** The lock: a field name, or {@code "this"}. */
    String value();
}
