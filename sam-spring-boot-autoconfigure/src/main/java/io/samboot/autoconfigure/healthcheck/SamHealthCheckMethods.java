package io.samboot.autoconfigure.healthcheck;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.samboot.CheckResult;
import io.samboot.SamHealthCheck;

import org.springframework.aop.framework.AopInfrastructureBean;
import org.springframework.aop.framework.AopProxyUtils;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.util.ClassUtils;

/**
 * Finds the {@link SamHealthCheck @SamHealthCheck} methods of every singleton bean as it
 * is created, checks their signature (public, no arguments, returning {@code boolean},
 * {@code Health} or {@code void}) and runs them on demand.
 */
public class SamHealthCheckMethods implements BeanPostProcessor, BeanFactoryAware {

	static final String HEALTH_CLASS = "org.springframework.boot.health.contributor.Health";

	private final Set<Class<?>> classesWithoutChecks = ConcurrentHashMap.newKeySet();

	private final List<HealthCheckMethod> methods = new CopyOnWriteArrayList<>();

	private BeanFactory beanFactory;

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		this.beanFactory = beanFactory;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
		if (bean instanceof AopInfrastructureBean) {
			return bean;
		}
		Class<?> targetClass = AopProxyUtils.ultimateTargetClass(bean);
		if (this.classesWithoutChecks.contains(targetClass)) {
			return bean;
		}
		if (!AnnotationUtils.isCandidateClass(targetClass, SamHealthCheck.class)) {
			this.classesWithoutChecks.add(targetClass);
			return bean;
		}
		Map<Method, SamHealthCheck> annotated = MethodIntrospector.selectMethods(targetClass,
				(MethodIntrospector.MetadataLookup<SamHealthCheck>) (method) -> AnnotatedElementUtils
					.findMergedAnnotation(method, SamHealthCheck.class));
		if (annotated.isEmpty()) {
			this.classesWithoutChecks.add(targetClass);
			return bean;
		}
		requireSingleton(beanName, annotated.keySet().iterator().next());
		annotated.keySet()
			.stream()
			.sorted((a, b) -> a.getName().compareTo(b.getName()))
			.forEach((method) -> this.methods.add(healthCheckMethod(bean, beanName, targetClass, method)));
		return bean;
	}

	private void requireSingleton(String beanName, Method method) {
		try {
			if (this.beanFactory != null && this.beanFactory.containsBean(beanName)
					&& !this.beanFactory.isSingleton(beanName)) {
				throw new InvalidSamHealthCheckException(beanName, method,
						"is declared on a bean that is not a singleton; SAM checks one instance of each bean");
			}
		}
		catch (NoSuchBeanDefinitionException ex) {
			// An inner bean: nothing to check.
		}
	}

	private static HealthCheckMethod healthCheckMethod(Object bean, String beanName, Class<?> targetClass,
			Method method) {
		if (Modifier.isStatic(method.getModifiers())) {
			throw new InvalidSamHealthCheckException(beanName, method, "must not be static");
		}
		if (!Modifier.isPublic(method.getModifiers())) {
			throw new InvalidSamHealthCheckException(beanName, method, "must be public");
		}
		if (method.getParameterCount() != 0) {
			throw new InvalidSamHealthCheckException(beanName, method, "must not take arguments");
		}
		Class<?> returnType = method.getReturnType();
		Kind kind;
		if (returnType == boolean.class || returnType == Boolean.class) {
			kind = Kind.BOOLEAN;
		}
		else if (returnType == void.class) {
			kind = Kind.VOID;
		}
		else if (returnType.getName().equals(HEALTH_CLASS)) {
			kind = Kind.HEALTH;
		}
		else {
			throw new InvalidSamHealthCheckException(beanName, method, "must return boolean, void (throwing means"
					+ " unhealthy) or org.springframework.boot.health.contributor.Health, not " + returnType.getName());
		}
		Method invocable;
		try {
			invocable = AopUtils.selectInvocableMethod(method, bean.getClass());
		}
		catch (IllegalStateException ex) {
			throw new InvalidSamHealthCheckException(beanName, method,
					"cannot be called through the bean's proxy: " + ex.getMessage());
		}
		String name = ClassUtils.getShortName(targetClass) + "#" + method.getName();
		return new HealthCheckMethod(name, bean, invocable, kind);
	}

	/** The methods found so far, in the order they run. */
	public List<HealthCheckMethod> getMethods() {
		return List.copyOf(this.methods);
	}

	/**
	 * Runs every method until one reports unhealthy.
	 * @return {@link CheckResult#up()} or the first failure
	 */
	public CheckResult check() {
		for (HealthCheckMethod method : this.methods) {
			CheckResult result = method.check();
			if (!result.healthy()) {
				return result;
			}
		}
		return CheckResult.up();
	}

	/** What the return value of a health-check method means. */
	public enum Kind {

		BOOLEAN, VOID, HEALTH

	}

	/**
	 * One {@code @SamHealthCheck} method of one bean.
	 *
	 * @param name how failures name it: {@code SimpleClassName#method}
	 * @param bean the bean (or its proxy)
	 * @param method the method to call on {@code bean}
	 * @param kind what its return value means
	 */
	public record HealthCheckMethod(String name, Object bean, Method method, Kind kind) {

		/** Calls the method and interprets the outcome. */
		public CheckResult check() {
			Object value;
			try {
				value = this.method.invoke(this.bean);
			}
			catch (InvocationTargetException ex) {
				Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
				if (cause instanceof InterruptedException) {
					Thread.currentThread().interrupt();
				}
				return CheckResult.down(this.name, describe(cause));
			}
			catch (IllegalAccessException | RuntimeException ex) {
				return CheckResult.down(this.name, describe(ex));
			}
			return switch (this.kind) {
				case VOID -> CheckResult.up();
				case BOOLEAN ->
					Boolean.TRUE.equals(value) ? CheckResult.up() : CheckResult.down(this.name, "returned " + value);
				case HEALTH -> HealthSummary.check(this.name, value);
			};
		}

		private static String describe(Throwable ex) {
			String message = ex.getMessage();
			return ex.getClass().getSimpleName() + ((message != null) ? ": " + message : "");
		}
	}

}
